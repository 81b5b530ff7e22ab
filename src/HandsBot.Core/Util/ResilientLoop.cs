using Microsoft.Extensions.Logging;

namespace HandsBot.Core.Util;

/// <summary>
/// The body of a background loop: runs <c>pass</c> until stopped. A failing pass (a locked database, a
/// full disk) is logged and retried after a cool-down, so the loop never dies.
/// </summary>
internal static class ResilientLoop
{
    public static readonly TimeSpan CoolDown = TimeSpan.FromSeconds(5);

    public static async Task RunAsync(Func<CancellationToken, Task> pass, TimeProvider time, ILogger logger, string what, CancellationToken ct)
    {
        while (!ct.IsCancellationRequested)
        {
            try
            {
                await pass(ct).ConfigureAwait(false);
            }
            catch (OperationCanceledException) when (ct.IsCancellationRequested)
            {
                break;
            }
            catch (Exception ex)
            {
                logger.LogError(ex, "{What} failed; retrying in {CoolDown}", what, CoolDown);
                try
                {
                    await Task.Delay(CoolDown, time, ct).ConfigureAwait(false);
                }
                catch (OperationCanceledException)
                {
                    break;
                }
            }
        }
    }
}
