using HandsBot.Core.Storage;
using HandsBot.Core.Util;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace HandsBot.Core.Engine;

/// <summary>
/// Checks the store every few seconds: that it answers, and (SQLite) that its file is still the one that
/// was opened — a file deleted or replaced while HandsBot runs is put back before writes go astray.
/// Its last result is what the health endpoint reports.
/// </summary>
public sealed class StoreHealthMonitor(IStoreAdmin store, TimeProvider time, ILogger<StoreHealthMonitor> logger) : BackgroundService
{
    public static readonly TimeSpan Every = TimeSpan.FromSeconds(5);

    /// <summary>Null while healthy; otherwise what is wrong, in words.</summary>
    public string? Problem { get; private set; }

    /// <summary>When the store was last seen healthy.</summary>
    public DateTimeOffset? HealthyAt { get; private set; }

    public async Task CheckAsync(CancellationToken ct)
    {
        try
        {
            await store.CheckHealthAsync(ct).ConfigureAwait(false);
            Problem = null;
            HealthyAt = time.GetUtcNow();
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            Problem = ex.Message;
            throw;
        }
    }

    protected override Task ExecuteAsync(CancellationToken stoppingToken) =>
        ResilientLoop.RunAsync(
            async ct =>
            {
                await CheckAsync(ct).ConfigureAwait(false);
                await Task.Delay(Every, time, ct).ConfigureAwait(false);
            },
            time,
            logger,
            "Checking the store",
            stoppingToken);
}
