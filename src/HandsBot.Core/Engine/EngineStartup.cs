using HandsBot.Core.Registry;
using HandsBot.Core.Storage;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace HandsBot.Core.Engine;

/// <summary>
/// Runs first and stops last: migrates the store, claims it for serving (a second process on a
/// single-process store is refused), loads the hands, and closes the runs a crash left behind
/// (interrupted, never re-run silently; their surviving processes killed).
/// </summary>
public sealed class EngineStartup(
    IHandsStore store,
    HandRegistry registry,
    RunWorker worker,
    ILogger<EngineStartup> logger) : IHostedService
{
    public async Task StartAsync(CancellationToken cancellationToken)
    {
        await store.MigrateAsync(cancellationToken).ConfigureAwait(false);
        await store.AcquireForServingAsync(worker.Owner, cancellationToken).ConfigureAwait(false);
        await registry.ReloadAsync(cancellationToken).ConfigureAwait(false);
        var closed = await worker.SweepLostAsync(cancellationToken).ConfigureAwait(false);
        if (closed > 0) logger.LogWarning("{Count} runs were in progress when HandsBot last stopped; they were marked interrupted", closed);
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
