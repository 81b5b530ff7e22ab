using System.Text.Json;
using HandsBot.Core.Manifest;
using HandsBot.Core.Model;
using HandsBot.Core.Storage;
using Microsoft.Extensions.Logging;

namespace HandsBot.Core.Registry;

/// <summary>
/// Every hand under the hands folder, loaded and validated, and indexed in the store. Reloading keeps
/// each hand's persisted state (pause, next due time, counters); a hand whose folder is gone is unregistered.
/// </summary>
public sealed class HandRegistry
{
    private readonly IHandStore _store;
    private readonly ILogger<HandRegistry> _logger;
    private readonly SemaphoreSlim _reloadLock = new(1, 1);
    private bool _loaded;
    private volatile Snapshot _snapshot = new([], new Dictionary<string, HandDefinition>(StringComparer.OrdinalIgnoreCase));

    public HandRegistry(HandRegistrySettings settings, IHandStore store, ILogger<HandRegistry> logger)
    {
        Settings = settings;
        _store = store;
        _logger = logger;
    }

    public HandRegistrySettings Settings { get; }

    /// <summary>Raised after a reload changed the set of hands or any hand's content.</summary>
    public event Action<RegistryChange>? Changed;

    /// <summary>True once the first load finished (before it, no hand is known, which is not the same as "removed").</summary>
    public bool IsLoaded => _loaded;

    /// <summary>All hands found, valid or not, ordered by name then folder.</summary>
    public IReadOnlyList<HandDefinition> All => _snapshot.All;

    /// <summary>The hand with this name (case-insensitive), or null.</summary>
    public HandDefinition? Find(string name) => _snapshot.ByName.GetValueOrDefault(name);

    /// <summary>Loads every hand from disk, indexes it in the store and removes hands that are gone.</summary>
    public async Task<RegistryChange> ReloadAsync(CancellationToken ct = default)
    {
        await _reloadLock.WaitAsync(ct).ConfigureAwait(false);
        try
        {
            var loaded = Directory.Exists(Settings.HandsDirectory)
                ? HandLoader.LoadAll(Settings.HandsDirectory, Settings.LoadContext)
                : [];
            var ordered = loaded.OrderBy(h => h.Name, StringComparer.Ordinal).ThenBy(h => h.Directory, StringComparer.Ordinal).ToList();
            // With duplicate names the first folder (ordinal) owns the name; the others stay listed as invalid.
            var byName = new Dictionary<string, HandDefinition>(StringComparer.OrdinalIgnoreCase);
            foreach (var hand in ordered)
            {
                byName.TryAdd(hand.Name, hand);
            }

            var previous = _snapshot.ByName;
            var added = byName.Keys.Where(n => !previous.ContainsKey(n)).ToList();
            var removed = previous.Keys.Where(n => !byName.ContainsKey(n)).ToList();
            var changed = byName.Values.Where(h => previous.TryGetValue(h.Name, out var old) && !Same(old, h)).Select(h => h.Name).ToList();

            // Only new and changed hands are written: a run writing files in its own folder wakes the
            // watcher, and rewriting 10,000 unchanged rows for that would be wasted work.
            var first = !_loaded;
            var writes = byName.Values.Where(h => first || !previous.TryGetValue(h.Name, out var old) || !Same(old, h)).Select(ToIndexEntry).ToList();
            await _store.UpsertHandsAsync(writes, ct).ConfigureAwait(false);
            var indexed = await _store.ListHandsAsync(ct).ConfigureAwait(false);
            foreach (var row in indexed.Where(r => !byName.ContainsKey(r.Name)))
            {
                await _store.RemoveHandAsync(row.Name, ct).ConfigureAwait(false);
                if (!removed.Contains(row.Name, StringComparer.OrdinalIgnoreCase)) removed.Add(row.Name);
            }

            _snapshot = new Snapshot(ordered, byName);
            _loaded = true;
            foreach (var hand in ordered.Where(h => !h.IsValid))
            {
                _logger.LogWarning("Hand {Hand} is invalid: {Problems}", hand.Name, string.Join("; ", hand.Errors));
            }
            var change = new RegistryChange(added, removed, changed);
            _logger.LogInformation("Loaded {Count} hands ({Invalid} invalid) from {Dir}", ordered.Count, ordered.Count(h => !h.IsValid), Settings.HandsDirectory);
            if (change.Any) Changed?.Invoke(change);
            return change;
        }
        finally
        {
            _reloadLock.Release();
        }
    }

    /// <summary>
    /// Same files and same verdict. A hand can become valid without its files changing (run.sh made
    /// executable, a tool installed), so the diagnostics count too.
    /// </summary>
    private static bool Same(HandDefinition a, HandDefinition b) =>
        a.ContentHash == b.ContentHash && a.Directory == b.Directory && a.Diagnostics.SequenceEqual(b.Diagnostics);

    private static HandIndexEntry ToIndexEntry(HandDefinition hand) => new(
        hand.Name,
        hand.Directory,
        hand.Manifest is null ? "{}" : ManifestJson.Serialize(hand.Manifest),
        hand.ContentHash,
        hand.Manifest?.Enabled ?? false,
        hand.IsValid,
        JsonSerializer.Serialize(hand.Diagnostics.Select(d => d.ToString()).ToArray(), RegistryJson.Default.StringArray));

    private sealed record Snapshot(IReadOnlyList<HandDefinition> All, IReadOnlyDictionary<string, HandDefinition> ByName);
}

[System.Text.Json.Serialization.JsonSerializable(typeof(string[]))]
internal sealed partial class RegistryJson : System.Text.Json.Serialization.JsonSerializerContext;

/// <summary>Where hands live and what the loader needs to validate them.</summary>
public sealed record HandRegistrySettings(string HandsDirectory, HandLoadContext LoadContext);

/// <summary>What a reload changed, by hand name.</summary>
public sealed record RegistryChange(IReadOnlyList<string> Added, IReadOnlyList<string> Removed, IReadOnlyList<string> Changed)
{
    public bool Any => Added.Count + Removed.Count + Changed.Count > 0;
}
