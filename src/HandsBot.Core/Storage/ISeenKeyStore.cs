namespace HandsBot.Core.Storage;

/// <summary>
/// Remembers keys for a while, durably and across processes: a signed request or update handled once is
/// refused when replayed, also after a restart (Discord interaction ids, Telegram update ids).
/// </summary>
public interface ISeenKeyStore
{
    /// <summary>
    /// Records <paramref name="key"/> until <paramref name="expiresAt"/>. True when this call recorded it
    /// (first sight), false when it is already recorded and not yet expired.
    /// </summary>
    Task<bool> TryMarkSeenAsync(string key, DateTimeOffset expiresAt, CancellationToken ct = default);

    /// <summary>Forgets keys that expired before <paramref name="now"/>; returns how many.</summary>
    Task<int> PurgeSeenAsync(DateTimeOffset now, CancellationToken ct = default);
}
