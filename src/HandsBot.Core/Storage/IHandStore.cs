using HandsBot.Core.Model;

namespace HandsBot.Core.Storage;

/// <summary>The hand index and each hand's persisted scheduling state.</summary>
public interface IHandStore
{
    /// <summary>Adds or updates a hand's index entry; keeps its paused flag, next due time and counters.</summary>
    Task UpsertHandAsync(HandIndexEntry entry, CancellationToken ct = default);
    /// <summary>Removes a hand whose folder is gone. Its executions and approvals stay.</summary>
    Task RemoveHandAsync(string name, CancellationToken ct = default);
    Task<HandRow?> GetHandAsync(string name, CancellationToken ct = default);
    Task<IReadOnlyList<HandRow>> ListHandsAsync(CancellationToken ct = default);
    Task SetPausedAsync(string name, bool paused, CancellationToken ct = default);
    Task SetNextDueAsync(string name, DateTimeOffset? nextDueAt, CancellationToken ct = default);
    /// <summary>Sets many hands' next due times (null clears) in one transaction; hands without a row are skipped.</summary>
    Task SetNextDueManyAsync(IReadOnlyList<KeyValuePair<string, DateTimeOffset?>> nextDue, CancellationToken ct = default);
    /// <summary>Many hands' index entries in one transaction (start-up with thousands of hands).</summary>
    Task UpsertHandsAsync(IReadOnlyList<HandIndexEntry> entries, CancellationToken ct = default);
}

/// <summary>What the registry writes for each hand it loads.</summary>
public sealed record HandIndexEntry(
    string Name,
    string Directory,
    string ManifestJson,
    string ContentHash,
    bool Enabled,
    bool Valid,
    string ProblemsJson);

/// <summary>A hand's row: index data plus persisted state.</summary>
public sealed record HandRow
{
    public required string Name { get; init; }
    public string Directory { get; init; } = "";
    public string ManifestJson { get; init; } = "{}";
    public string ContentHash { get; init; } = "";
    public bool Enabled { get; init; }
    public bool Valid { get; init; }
    public string ProblemsJson { get; init; } = "[]";
    public bool Paused { get; init; }
    public DateTimeOffset? NextDueAt { get; init; }
    public DateTimeOffset? LastRunAt { get; init; }
    public HandCounters Counters { get; init; } = new(0, 0, 0);
    public string? LastError { get; init; }
    /// <summary>The outcome of the last counted run (null before the first).</summary>
    public ExecutionOutcome? LastOutcome { get; init; }
    public DateTimeOffset UpdatedAt { get; init; }
}
