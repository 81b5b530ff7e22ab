using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace HandsBot.Core.Registry;

/// <summary>
/// Reloads the registry when files under the hands folder change. Editors write files in bursts
/// (temp file, rename, chmod), so changes are debounced: the reload runs once the folder has been
/// quiet for <see cref="Debounce"/>.
/// </summary>
public sealed class HandsFolderWatcher(HandRegistry registry, TimeProvider time, ILogger<HandsFolderWatcher> logger) : BackgroundService
{
    public static readonly TimeSpan Debounce = TimeSpan.FromMilliseconds(500);

    private readonly SemaphoreSlim _signal = new(0, int.MaxValue);
    private long _lastChangeTicks;

    /// <summary>Records a change (also called by tests instead of real file events).</summary>
    public void NotifyChanged()
    {
        Interlocked.Exchange(ref _lastChangeTicks, time.GetUtcNow().UtcTicks);
        _signal.Release();
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var dir = registry.Settings.HandsDirectory;
        if (!Directory.Exists(dir))
        {
            logger.LogWarning("Hands folder {Dir} does not exist; not watching for changes", dir);
            return;
        }
        using var watcher = new FileSystemWatcher(dir) { IncludeSubdirectories = true, NotifyFilter = NotifyFilters.FileName | NotifyFilters.DirectoryName | NotifyFilters.LastWrite | NotifyFilters.Size };
        watcher.Changed += (_, _) => NotifyChanged();
        watcher.Created += (_, _) => NotifyChanged();
        watcher.Deleted += (_, _) => NotifyChanged();
        watcher.Renamed += (_, _) => NotifyChanged();
        watcher.Error += (_, e) => { logger.LogWarning(e.GetException(), "File watcher error; reloading hands"); NotifyChanged(); };
        watcher.EnableRaisingEvents = true;

        while (!stoppingToken.IsCancellationRequested)
        {
            await _signal.WaitAsync(stoppingToken).ConfigureAwait(false);
            // Wait until no change arrived for the debounce period.
            while (true)
            {
                var quietFor = time.GetUtcNow().UtcTicks - Interlocked.Read(ref _lastChangeTicks);
                var remaining = Debounce.Ticks - quietFor;
                if (remaining <= 0) break;
                await Task.Delay(TimeSpan.FromTicks(remaining), time, stoppingToken).ConfigureAwait(false);
            }
            while (_signal.CurrentCount > 0) await _signal.WaitAsync(stoppingToken).ConfigureAwait(false);
            try
            {
                await registry.ReloadAsync(stoppingToken).ConfigureAwait(false);
            }
            catch (Exception ex) when (ex is not OperationCanceledException)
            {
                logger.LogError(ex, "Reloading hands failed; keeping the previous set");
            }
        }
    }
}
