using System.Globalization;

namespace HandsBot.Core.Text;

/// <summary>
/// Times for chat replies: relative ("in 3 h 20 min", "5 min ago") and absolute in a hand's zone.
/// (Stands in for ScheduleDescriber.DescribeRelative until that exists.)
/// </summary>
public static class TimeText
{
    public static string Relative(DateTimeOffset when, DateTimeOffset now)
    {
        var delta = when - now;
        var future = delta >= TimeSpan.Zero;
        var span = future ? delta : -delta;
        if (span < TimeSpan.FromMinutes(1)) return future ? "in under a minute" : "just now";
        var text = Span(span);
        return future ? "in " + text : text + " ago";
    }

    /// <summary>A duration in at most two units: "45 s", "3 min", "2 h 5 min", "3 d 4 h".</summary>
    public static string Span(TimeSpan span)
    {
        if (span < TimeSpan.Zero) span = -span;
        if (span < TimeSpan.FromMinutes(1)) return $"{Math.Max(0, (int)span.TotalSeconds)} s";
        if (span < TimeSpan.FromHours(1)) return $"{(int)span.TotalMinutes} min";
        if (span < TimeSpan.FromDays(1))
            return span.Minutes == 0 ? $"{(int)span.TotalHours} h" : $"{(int)span.TotalHours} h {span.Minutes} min";
        return span.Hours == 0 ? $"{(int)span.TotalDays} d" : $"{(int)span.TotalDays} d {span.Hours} h";
    }

    /// <summary>"Tue 24 Nov 07:00 Europe/Berlin"; the UTC form when the zone is UTC or unknown.</summary>
    public static string InZone(DateTimeOffset when, string? zoneId)
    {
        var zone = FindZone(zoneId);
        if (zone is null || zone == TimeZoneInfo.Utc) return Utc(when);
        var local = TimeZoneInfo.ConvertTime(when, zone);
        return local.ToString("ddd d MMM HH:mm", CultureInfo.InvariantCulture) + " " + zoneId;
    }

    /// <summary>"Tue 24 Nov 06:00 UTC".</summary>
    public static string Utc(DateTimeOffset when) =>
        when.ToUniversalTime().ToString("ddd d MMM HH:mm", CultureInfo.InvariantCulture) + " UTC";

    /// <summary>In the zone and, when that is not UTC, in UTC too.</summary>
    public static string InZoneAndUtc(DateTimeOffset when, string? zoneId)
    {
        var zone = FindZone(zoneId);
        return zone is null || zone == TimeZoneInfo.Utc ? Utc(when) : $"{InZone(when, zoneId)} ({Utc(when)})";
    }

    private static TimeZoneInfo? FindZone(string? zoneId)
    {
        if (string.IsNullOrWhiteSpace(zoneId) || string.Equals(zoneId, "UTC", StringComparison.OrdinalIgnoreCase))
            return TimeZoneInfo.Utc;
        return TimeZoneInfo.TryFindSystemTimeZoneById(zoneId, out var zone) ? zone : null;
    }
}
