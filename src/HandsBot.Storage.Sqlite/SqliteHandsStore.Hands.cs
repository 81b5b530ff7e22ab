using HandsBot.Core.Model;
using HandsBot.Core.Storage;
using HandsBot.Storage.Sqlite.Mapping;
using Microsoft.Data.Sqlite;

namespace HandsBot.Storage.Sqlite;

public sealed partial class SqliteHandsStore
{
    private const string HandColumns = """
        name, directory, manifest, content_hash, enabled, valid, problems, paused,
        next_due_at, last_run_at, runs, successes, failures, last_error, updated_at, last_outcome
        """;

    /// <summary>Inserts the hand, or refreshes its index data while keeping paused, next due, counters and last error.</summary>
    public Task UpsertHandAsync(HandIndexEntry entry, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(entry);
        ArgumentException.ThrowIfNullOrWhiteSpace(entry.Name, nameof(entry));
        return ExecuteAsync(
            """
            INSERT INTO hands (name, directory, manifest, content_hash, enabled, valid, problems, updated_at)
            VALUES (@name, @directory, @manifest, @hash, @enabled, @valid, @problems, @now)
            ON CONFLICT (name) DO UPDATE SET
                directory = excluded.directory,
                manifest = excluded.manifest,
                content_hash = excluded.content_hash,
                enabled = excluded.enabled,
                valid = excluded.valid,
                problems = excluded.problems,
                updated_at = excluded.updated_at;
            """,
            c => c.With("@name", entry.Name)
                  .With("@directory", entry.Directory)
                  .With("@manifest", entry.ManifestJson)
                  .With("@hash", entry.ContentHash)
                  .With("@enabled", entry.Enabled)
                  .With("@valid", entry.Valid)
                  .With("@problems", entry.ProblemsJson)
                  .With("@now", NowMs()),
            ct);
    }

    /// <summary>Deletes the hand's index row only; its executions, approvals and outbox items stay.</summary>
    public Task RemoveHandAsync(string name, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(name);
        return ExecuteAsync("DELETE FROM hands WHERE name = @name;", c => c.With("@name", name), ct);
    }

    public Task<HandRow?> GetHandAsync(string name, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(name);
        return QuerySingleAsync($"SELECT {HandColumns} FROM hands WHERE name = @name;", c => c.With("@name", name), ReadHand, ct);
    }

    /// <summary>All hands, ordered by name.</summary>
    public Task<IReadOnlyList<HandRow>> ListHandsAsync(CancellationToken ct = default) =>
        QueryAsync($"SELECT {HandColumns} FROM hands ORDER BY name;", _ => { }, ReadHand, ct);

    /// <exception cref="KeyNotFoundException">No hand has this name.</exception>
    public Task SetPausedAsync(string name, bool paused, CancellationToken ct = default) =>
        UpdateHandAsync(
            name,
            "UPDATE hands SET paused = @paused, updated_at = @now WHERE name = @name;",
            c => c.With("@paused", paused),
            ct);

    /// <exception cref="KeyNotFoundException">No hand has this name.</exception>
    public Task SetNextDueAsync(string name, DateTimeOffset? nextDueAt, CancellationToken ct = default) =>
        UpdateHandAsync(
            name,
            "UPDATE hands SET next_due_at = @due, updated_at = @now WHERE name = @name;",
            c => c.With("@due", UnixTime.ToDb(nextDueAt)),
            ct);

    /// <summary>
    /// Counts a finished run: runs + 1, then successes + 1 for <see cref="ExecutionOutcome.Success"/> and
    /// failures + 1 for any other outcome; sets last_run_at and last_error (null after a success without error).
    /// </summary>
    /// <exception cref="KeyNotFoundException">No hand has this name.</exception>
    public Task RecordRunAsync(string name, ExecutionOutcome outcome, string? error, DateTimeOffset at, CancellationToken ct = default) =>
        UpdateHandAsync(name, RecordRunSql, c => BindRecordRun(c, outcome, error, at), ct);

    private const string RecordRunSql = """
        UPDATE hands SET
            runs = runs + 1,
            successes = successes + @success,
            failures = failures + (1 - @success),
            last_run_at = @at,
            last_error = @error,
            last_outcome = @outcome,
            updated_at = @now
        WHERE name = @name;
        """;

    private static void BindRecordRun(SqliteCommand c, ExecutionOutcome outcome, string? error, DateTimeOffset at) =>
        c.With("@success", outcome == ExecutionOutcome.Success ? 1 : 0)
         .With("@at", UnixTime.ToMs(at))
         .With("@error", error)
         .With("@outcome", SnakeCaseEnum<ExecutionOutcome>.ToText(outcome));

    private async Task UpdateHandAsync(string name, string sql, Action<SqliteCommand> bind, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(name);
        var changed = await ExecuteAsync(sql, c => bind(c.With("@name", name).With("@now", NowMs())), ct).ConfigureAwait(false);
        if (changed == 0)
        {
            throw new KeyNotFoundException($"No hand named '{name}' is in the store.");
        }
    }

    private static HandRow ReadHand(SqliteDataReader r) => new()
    {
        Name = r.GetString(0),
        Directory = r.GetString(1),
        ManifestJson = r.GetString(2),
        ContentHash = r.GetString(3),
        Enabled = r.GetFlag(4),
        Valid = r.GetFlag(5),
        ProblemsJson = r.GetString(6),
        Paused = r.GetFlag(7),
        NextDueAt = r.GetNullableTime(8),
        LastRunAt = r.GetNullableTime(9),
        Counters = new HandCounters(r.GetInt64(10), r.GetInt64(11), r.GetInt64(12)),
        LastError = r.GetNullableString(13),
        UpdatedAt = r.GetTime(14),
        LastOutcome = r.IsDBNull(15) ? null : SnakeCaseEnum<ExecutionOutcome>.FromText(r.GetString(15)),
    };
}
