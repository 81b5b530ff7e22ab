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
        return ExecuteAsync(UpsertHandSql, c => BindHand(c, entry), ct);
    }

    private const string UpsertHandSql = """
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
        """;

    private void BindHand(SqliteCommand c, HandIndexEntry entry) =>
        c.With("@name", entry.Name)
         .With("@directory", entry.Directory)
         .With("@manifest", entry.ManifestJson)
         .With("@hash", entry.ContentHash)
         .With("@enabled", entry.Enabled)
         .With("@valid", entry.Valid)
         .With("@problems", entry.ProblemsJson)
         .With("@now", NowMs());

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

    /// <inheritdoc />
    public Task SetNextDueManyAsync(IReadOnlyList<KeyValuePair<string, DateTimeOffset?>> nextDue, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(nextDue);
        if (nextDue.Count == 0)
        {
            return Task.CompletedTask;
        }

        return InTransactionAsync(
            async (connection, transaction) =>
            {
                var now = NowMs();
                foreach (var (name, due) in nextDue)
                {
                    await ExecAsync(connection, transaction, "UPDATE hands SET next_due_at = @due, updated_at = @now WHERE name = @name;", ct,
                        ("@name", name), ("@due", UnixTime.ToDb(due)), ("@now", now)).ConfigureAwait(false);
                }

                return true;
            },
            ct);
    }

    /// <inheritdoc />
    public Task UpsertHandsAsync(IReadOnlyList<HandIndexEntry> entries, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(entries);
        if (entries.Count == 0)
        {
            return Task.CompletedTask;
        }

        return InTransactionAsync(
            async (connection, transaction) =>
            {
                foreach (var entry in entries)
                {
                    await using var upsert = connection.Command(UpsertHandSql, transaction);
                    BindHand(upsert, entry);
                    await upsert.ExecuteNonQueryAsync(ct).ConfigureAwait(false);
                }

                return true;
            },
            ct);
    }

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
