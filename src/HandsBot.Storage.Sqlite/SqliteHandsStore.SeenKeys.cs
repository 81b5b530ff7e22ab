using HandsBot.Core.Storage;
using HandsBot.Storage.Sqlite.Mapping;

namespace HandsBot.Storage.Sqlite;

public sealed partial class SqliteHandsStore
{
    public Task<bool> TryMarkSeenAsync(string key, DateTimeOffset expiresAt, CancellationToken ct = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(key);
        return WriteAsync(
            async connection =>
            {
                // An expired record of the key counts as unseen: replace it.
                await using var command = connection.Command(
                    """
                    INSERT INTO seen_keys (key, expires_at) VALUES (@key, @expires)
                    ON CONFLICT (key) DO UPDATE SET expires_at = excluded.expires_at WHERE seen_keys.expires_at <= @now;
                    """);
                command.With("@key", key).With("@expires", UnixTime.ToMs(expiresAt)).With("@now", NowMs());
                return await command.ExecuteNonQueryAsync(ct).ConfigureAwait(false) == 1;
            },
            ct);
    }

    public Task<int> PurgeSeenAsync(DateTimeOffset now, CancellationToken ct = default) =>
        ExecuteAsync("DELETE FROM seen_keys WHERE expires_at <= @now;", c => c.With("@now", UnixTime.ToMs(now)), ct);
}
