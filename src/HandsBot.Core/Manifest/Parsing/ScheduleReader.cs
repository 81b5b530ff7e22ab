using System.Globalization;
using HandsBot.Core.Model;
using Tomlyn;
using Tomlyn.Model;

namespace HandsBot.Core.Manifest.Parsing;

/// <summary>Reads [hand] schedule: a cron string, or a table with exactly one of cron / interval / at.</summary>
internal static class ScheduleReader
{
    public static readonly string[] Keys = ["cron", "interval", "at", "timezone", "misfire", "misfire_grace"];
    private static readonly string[] Kinds = ["cron", "interval", "at"];

    public static HandSchedule? Read(TableReader hand)
    {
        var value = hand.Raw("schedule");
        switch (value)
        {
            case null:
                return null;
            case string cron:
                return ReadCron(hand, "schedule", cron) is { } normalized
                    ? new HandSchedule { Kind = ScheduleKind.Cron, Cron = normalized }
                    : null;
            case TomlTable:
                return ReadTable(hand.Child("schedule")!);
            default:
                hand.TypeError("schedule", "a cron string or a table (cron, interval or at)", value);
                return null;
        }
    }

    private static HandSchedule? ReadTable(TableReader schedule)
    {
        schedule.WarnUnknownKeys(Keys);
        var given = Kinds.Where(schedule.Has).ToList();
        if (given.Count == 0)
        {
            schedule.Sink.Error(schedule.Where, schedule.Path, "schedule table needs one of 'cron', 'interval' or 'at'");
            return null;
        }
        if (given.Count > 1)
        {
            schedule.Error(given[1], $"schedule has both '{given[0]}' and '{given[1]}'; use exactly one of 'cron', 'interval' or 'at'");
            return null;
        }

        var ok = true;
        var zone = ReadTimeZone(schedule, ref ok);
        var misfire = schedule.Choice("misfire", "run_once", "skip");
        if (schedule.Has("misfire") && misfire is null) ok = false;
        var grace = schedule.Seconds("misfire_grace", allowZero: true);
        if (schedule.Has("misfire_grace") && grace is null) ok = false;

        var result = new HandSchedule { Kind = ScheduleKind.Cron, TimeZone = zone ?? "UTC" };
        switch (given[0])
        {
            case "cron":
                var cronText = schedule.String("cron");
                var cron = cronText is null ? null : ReadCron(schedule, "cron", cronText);
                if (cron is null) return null;
                result = result with { Kind = ScheduleKind.Cron, Cron = cron };
                break;
            case "interval":
                var interval = schedule.Seconds("interval", allowZero: false);
                if (interval is null) return null;
                result = result with { Kind = ScheduleKind.Interval, Interval = interval };
                break;
            default:
                var times = ReadAt(schedule);
                if (times is null) return null;
                result = result with { Kind = ScheduleKind.At, At = times };
                break;
        }
        if (!ok) return null;
        return result with
        {
            Misfire = misfire == "skip" ? MisfirePolicy.Skip : MisfirePolicy.RunOnce,
            MisfireGrace = grace ?? result.MisfireGrace,
        };
    }

    private static string? ReadCron(TableReader table, string key, string text)
    {
        if (CronSyntax.TryParse(text, out var cron, out var error))
        {
            // Valid syntax can still name no real date (30 February); such a hand would never run.
            if (cron!.GetNextOccurrence(new DateTime(2000, 1, 1, 0, 0, 0, DateTimeKind.Utc)) is null)
            {
                table.Error(key, $"cron expression '{text.Trim()}' never fires (no such date, e.g. 30 February)");
                return null;
            }
            return CronSyntax.Normalize(text);
        }
        // A lone field is usually a time or a period written where a cron expression goes.
        var hint = text.Trim().Contains(' ', StringComparison.Ordinal) || text.TrimStart().StartsWith('@')
            ? ""
            : "; for a daily time use [hand.schedule] at = \"07:30\", for a period use [hand.schedule] interval = <seconds>";
        table.Error(key, error! + hint);
        return null;
    }

    private static string? ReadTimeZone(TableReader schedule, ref bool ok)
    {
        var id = schedule.String("timezone");
        if (id is null)
        {
            if (schedule.Has("timezone")) ok = false;
            return null;
        }
        var zone = TimeZones.Find(id.Trim());
        if (zone is null)
        {
            schedule.Error("timezone", $"unknown time zone '{id}'; use an IANA id such as 'Europe/Berlin' or 'UTC'");
            ok = false;
            return null;
        }
        if (!zone.HasIanaId)
        {
            // A Windows id works on this machine but not everywhere; store the portable IANA id.
            if (TimeZoneInfo.TryConvertWindowsIdToIanaId(zone.Id, out var iana))
            {
                schedule.Warning("timezone", $"'{id}' is a Windows time zone id; using the IANA id '{iana}'");
                return iana;
            }
        }
        return id.Trim();
    }

    private static IReadOnlyList<TimeOnly>? ReadAt(TableReader schedule)
    {
        var value = schedule.Raw("at");
        var items = value switch
        {
            TomlArray array => array.Cast<object?>().ToList(),
            _ => [value],
        };
        if (items.Count == 0)
        {
            schedule.Error("at", "needs at least one time of day (\"HH:MM\")");
            return null;
        }
        var times = new SortedSet<TimeOnly>();
        foreach (var item in items)
        {
            TimeOnly? time = item switch
            {
                string s => ParseTimeOfDay(s),
                TomlDateTime { Kind: TomlDateTimeKind.LocalTime } dt => TimeOnly.FromTimeSpan(dt.DateTime.TimeOfDay),
                _ => null,
            };
            if (time is null)
            {
                var shown = item is string s2 ? $"'{s2}'" : TableReader.Describe(item);
                schedule.Error("at", $"{shown} is not a time of day; expected \"HH:MM\" (24-hour, e.g. \"07:30\")");
                return null;
            }
            if (!times.Add(time.Value))
            {
                schedule.Warning("at", $"time {time.Value:HH\\:mm} is listed twice");
            }
        }
        return [.. times];
    }

    private static TimeOnly? ParseTimeOfDay(string text) =>
        TimeOnly.TryParseExact(text.Trim(), ["HH:mm", "H:mm", "HH:mm:ss"], CultureInfo.InvariantCulture, DateTimeStyles.None, out var time)
            ? time
            : null;
}
