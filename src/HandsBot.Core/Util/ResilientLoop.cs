using HandsBot.Core.Storage;
using Microsoft.Extensions.Logging;

namespace HandsBot.Core.Util;

/// <summary>
/// The body of a background loop: runs <c>pass</c> until stopped. A failing pass is retried after a
/// cool-down, so the loop never dies. A fault an operator can fix (a full disk, a locked or missing
/// database) is logged once per episode as one line without a stack trace, and its end is logged too;
/// anything else is a bug and is logged with its trace every time.
/// </summary>
internal static partial class ResilientLoop
{
    public static readonly TimeSpan CoolDown = TimeSpan.FromSeconds(5);

    public static async Task RunAsync(Func<CancellationToken, Task> pass, TimeProvider time, ILogger logger, string what, CancellationToken ct)
    {
        string? failing = null;
        while (!ct.IsCancellationRequested)
        {
            try
            {
                await pass(ct).ConfigureAwait(false);
                if (failing is not null)
                {
                    LogRecovered(logger, what);
                    failing = null;
                }
            }
            catch (OperationCanceledException) when (ct.IsCancellationRequested)
            {
                break;
            }
            catch (StoreUnavailableException ex)
            {
                if (failing != ex.Message) LogStoreFault(logger, what, ex.Message, CoolDown);
                failing = ex.Message;
                if (!await CoolDownAsync(time, ct).ConfigureAwait(false)) break;
            }
            catch (Exception ex)
            {
                LogFailed(logger, ex, what, CoolDown);
                failing = ex.Message;
                if (!await CoolDownAsync(time, ct).ConfigureAwait(false)) break;
            }
        }
    }

    private static async Task<bool> CoolDownAsync(TimeProvider time, CancellationToken ct)
    {
        try
        {
            await Task.Delay(CoolDown, time, ct).ConfigureAwait(false);
            return true;
        }
        catch (OperationCanceledException)
        {
            return false;
        }
    }

    [LoggerMessage(Level = LogLevel.Error, Message = "{What} failed; retrying in {CoolDown}")]
    private static partial void LogFailed(ILogger logger, Exception ex, string what, TimeSpan coolDown);

    [LoggerMessage(Level = LogLevel.Error, Message = "{What} cannot reach the store: {Fault} Retrying every {CoolDown}")]
    private static partial void LogStoreFault(ILogger logger, string what, string fault, TimeSpan coolDown);

    [LoggerMessage(Level = LogLevel.Information, Message = "{What} works again")]
    private static partial void LogRecovered(ILogger logger, string what);
}
