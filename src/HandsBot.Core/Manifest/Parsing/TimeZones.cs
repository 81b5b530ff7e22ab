using System.Collections.Concurrent;

namespace HandsBot.Core.Manifest.Parsing;

/// <summary>Cached time-zone lookups: thousands of hands share a handful of zones.</summary>
internal static class TimeZones
{
    private static readonly ConcurrentDictionary<string, TimeZoneInfo?> Cache = new(StringComparer.Ordinal);

    /// <summary>The zone for an id, or null when the system does not know it.</summary>
    public static TimeZoneInfo? Find(string id) => Cache.GetOrAdd(id, static id =>
    {
        try
        {
            return TimeZoneInfo.FindSystemTimeZoneById(id);
        }
        catch (Exception ex) when (ex is TimeZoneNotFoundException or InvalidTimeZoneException or ArgumentException)
        {
            return null;
        }
    });
}
