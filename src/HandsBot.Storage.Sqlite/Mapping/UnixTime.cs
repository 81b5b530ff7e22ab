namespace HandsBot.Storage.Sqlite.Mapping;

/// <summary>
/// Timestamps are stored as UTC unix milliseconds (INTEGER): they sort and compare numerically in SQL
/// and round-trip exactly to the millisecond. Sub-millisecond ticks are truncated.
/// </summary>
internal static class UnixTime
{
    public static long ToMs(DateTimeOffset value) => value.ToUnixTimeMilliseconds();

    public static object ToDb(DateTimeOffset? value) => value is { } v ? v.ToUnixTimeMilliseconds() : DBNull.Value;

    public static DateTimeOffset FromMs(long ms) => DateTimeOffset.FromUnixTimeMilliseconds(ms);
}
