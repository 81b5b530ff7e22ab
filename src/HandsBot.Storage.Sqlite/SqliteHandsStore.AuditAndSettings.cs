using HandsBot.Core.Storage;
using HandsBot.Storage.Sqlite.Mapping;

namespace HandsBot.Storage.Sqlite;

public sealed partial class SqliteHandsStore
{
    public Task AppendAuditAsync(AuditEntry entry, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(entry);
        return ExecuteAsync(
            """
            INSERT INTO audit_log (at, identity, action, location, allowed, detail)
            VALUES (@at, @identity, @action, @location, @allowed, @detail);
            """,
            c => c.With("@at", UnixTime.ToMs(entry.At))
                  .With("@identity", entry.Identity)
                  .With("@action", entry.Action)
                  .With("@location", entry.Where)
                  .With("@allowed", entry.Allowed)
                  .With("@detail", entry.Detail),
            ct);
    }

    /// <summary>All entries in one transaction, in order.</summary>
    public Task AppendAuditBatchAsync(IReadOnlyList<AuditEntry> entries, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(entries);
        if (entries.Count == 0) return Task.CompletedTask;
        return InTransactionAsync(
            async (connection, transaction) =>
            {
                await using var command = connection.Command(
                    """
                    INSERT INTO audit_log (at, identity, action, location, allowed, detail)
                    VALUES (@at, @identity, @action, @location, @allowed, @detail);
                    """,
                    transaction);
                foreach (var entry in entries)
                {
                    command.Parameters.Clear();
                    command.With("@at", UnixTime.ToMs(entry.At))
                           .With("@identity", entry.Identity)
                           .With("@action", entry.Action)
                           .With("@location", entry.Where)
                           .With("@allowed", entry.Allowed)
                           .With("@detail", entry.Detail);
                    await command.ExecuteNonQueryAsync(ct).ConfigureAwait(false);
                }
                return true;
            },
            ct);
    }

    /// <summary>Newest first (by time, then by insertion for equal times).</summary>
    public Task<IReadOnlyList<AuditEntry>> ListAuditAsync(int limit, CancellationToken ct = default)
    {
        RequirePositive(limit, nameof(limit));
        return QueryAsync(
            "SELECT at, identity, action, location, allowed, detail FROM audit_log ORDER BY at DESC, id DESC LIMIT @limit;",
            c => c.With("@limit", limit),
            r => new AuditEntry(r.GetTime(0), r.GetString(1), r.GetString(2), r.GetString(3), r.GetFlag(4), r.GetNullableString(5)),
            ct);
    }

    public async Task<string?> GetSettingAsync(string key, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(key);
        var rows = await QueryAsync(
            "SELECT value FROM settings WHERE key = @key;",
            c => c.With("@key", key),
            r => r.GetString(0),
            ct).ConfigureAwait(false);
        return rows.Count == 0 ? null : rows[0];
    }

    public Task SetSettingAsync(string key, string value, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(key);
        ArgumentNullException.ThrowIfNull(value);
        return ExecuteAsync(
            """
            INSERT INTO settings (key, value, updated_at) VALUES (@key, @value, @now)
            ON CONFLICT (key) DO UPDATE SET value = excluded.value, updated_at = excluded.updated_at;
            """,
            c => c.With("@key", key).With("@value", value).With("@now", NowMs()),
            ct);
    }

    /// <summary>Deletes the setting; deleting a missing key is a no-op.</summary>
    public Task DeleteSettingAsync(string key, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(key);
        return ExecuteAsync("DELETE FROM settings WHERE key = @key;", c => c.With("@key", key), ct);
    }
}
