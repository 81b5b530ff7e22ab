using System.Globalization;
using HandsBot.Core.Model;

namespace HandsBot.Core.Scheduling;

/// <summary>
/// Describes schedules and moments in plain words for chat replies. A cron expression it cannot describe
/// exactly is quoted instead (<c>cron `*/7 3-5 * 1-6 2` (UTC)</c>): a description is never approximate.
/// </summary>
public static class ScheduleDescriber
{
    private static readonly string[] DayNames = ["Sunday", "Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday"];

    /// <summary>E.g. "every day at 07:00 and 19:00 Europe/Berlin", "every 15 minutes"; "manual only" for null.</summary>
    public static string Describe(HandSchedule? schedule) => schedule switch
    {
        null => "manual only",
        { Kind: ScheduleKind.Interval } s => DescribeInterval(s.Interval),
        { Kind: ScheduleKind.At } s => DescribeAt(s),
        { Kind: ScheduleKind.Cron } s => DescribeCron(s),
        { } s => $"unknown schedule kind {s.Kind}",
    };

    /// <summary>How far <paramref name="when"/> is from <paramref name="now"/>: "in 3 h 12 min", "in 45 s", "5 min ago", "now".</summary>
    public static string DescribeRelative(DateTimeOffset when, DateTimeOffset now)
    {
        var delta = when - now;
        var seconds = (long)Math.Floor(Math.Abs(delta.TotalSeconds));
        if (seconds < 1)
        {
            return "now";
        }

        var text = seconds switch
        {
            < 60 => $"{seconds} s",
            < 3600 => $"{seconds / 60} min",
            < 86400 => Pair(seconds / 3600, "h", seconds % 3600 / 60, "min"),
            _ => Pair(seconds / 86400, "d", seconds % 86400 / 3600, "h"),
        };
        return delta > TimeSpan.Zero ? $"in {text}" : $"{text} ago";

        static string Pair(long major, string majorUnit, long minor, string minorUnit) =>
            minor == 0 ? $"{major} {majorUnit}" : $"{major} {majorUnit} {minor} {minorUnit}";
    }

    private static string DescribeInterval(TimeSpan? interval)
    {
        if (interval is not { } span || span <= TimeSpan.Zero)
        {
            return "interval not set";
        }

        var ticks = span.Ticks;
        return ticks switch
        {
            _ when ticks % TimeSpan.TicksPerDay == 0 && span.TotalDays >= 2 => Every(ticks / TimeSpan.TicksPerDay, "day"),
            _ when ticks % TimeSpan.TicksPerHour == 0 => Every(ticks / TimeSpan.TicksPerHour, "hour"),
            _ when ticks % TimeSpan.TicksPerMinute == 0 => Every(ticks / TimeSpan.TicksPerMinute, "minute"),
            _ when ticks % TimeSpan.TicksPerSecond == 0 => Every(ticks / TimeSpan.TicksPerSecond, "second"),
            _ => $"every {span.TotalMilliseconds.ToString(CultureInfo.InvariantCulture)} ms",
        };
    }

    private static string Every(long count, string unit) => count == 1 ? $"every {unit}" : $"every {count} {unit}s";

    private static string DescribeAt(HandSchedule schedule)
    {
        var times = schedule.At.Distinct().Order().Select(Clock).ToList();
        return times.Count == 0
            ? $"daily (no times set) {ZoneOf(schedule)}"
            : $"daily at {JoinWords(times)} {ZoneOf(schedule)}";
    }

    private static string DescribeCron(HandSchedule schedule)
    {
        var zone = ZoneOf(schedule);
        if (string.IsNullOrWhiteSpace(schedule.Cron))
        {
            return $"cron (no expression) ({zone})";
        }

        var expression = string.Join(' ', schedule.Cron.Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries));
        return Words(expression, zone) ?? $"cron `{expression}` ({zone})";
    }

    /// <summary>The exact description, or null when the expression is invalid or has no exact one.</summary>
    private static string? Words(string expression, string zone)
    {
        try
        {
            ScheduleCalculator.ParseCron(expression);
        }
        catch (ArgumentException)
        {
            return null;
        }

        if (CronFields.TryParse(expression) is not { } cron || cron.Months.Count != 12)
        {
            return null;
        }

        // Cron ORs a restricted day of month with a restricted day of week; too easy to misread, so quote it.
        if (!cron.AnyDayOfMonth && !cron.AnyDayOfWeek)
        {
            return null;
        }

        if (Days(cron) is not { } days)
        {
            return null;
        }

        if (ClockTimes(cron) is { } clockTimes)
        {
            return days.Kind switch
            {
                DayKind.Every => $"every day at {clockTimes} {zone}",
                DayKind.DaysOfWeek => $"every {days.Text} at {clockTimes} {zone}",
                _ => $"{days.Text} at {clockTimes} {zone}",
            };
        }

        if (Repeat(cron) is not var (repeat, dependsOnZone))
        {
            return null;
        }

        return days.Kind switch
        {
            DayKind.Every => dependsOnZone ? $"{repeat} {zone}" : repeat,
            DayKind.DaysOfMonth => $"{repeat} {days.Text} {zone}",
            _ => $"{repeat} on {days.Text} {zone}",
        };
    }

    private enum DayKind { Every, Named, DaysOfWeek, DaysOfMonth }

    private sealed record DayPhrase(DayKind Kind, string Text);

    /// <summary>Every day, "weekdays"/"weekends", "Monday and Thursday", "on day 1 of every month"; null when not exact.</summary>
    private static DayPhrase? Days(CronFields cron)
    {
        if (!cron.AnyDayOfMonth && cron.DaysOfMonth.Count < 31)
        {
            // Days 29-31 are skipped in shorter months, which "of every month" would hide.
            var monthDays = cron.DaysOfMonth.Select(d => d.ToString(CultureInfo.InvariantCulture)).ToList();
            return cron.DaysOfMonth.Max > 28
                ? null
                : new DayPhrase(DayKind.DaysOfMonth, monthDays.Count == 1
                    ? $"on day {monthDays[0]} of every month"
                    : $"on days {JoinWords(monthDays)} of every month");
        }

        var week = cron.DaysOfWeek;
        return week.Count switch
        {
            7 => new DayPhrase(DayKind.Every, ""),
            5 when week.SetEquals([1, 2, 3, 4, 5]) => new DayPhrase(DayKind.Named, "weekdays"),
            2 when week.SetEquals([0, 6]) => new DayPhrase(DayKind.Named, "weekends"),
            // Monday first, Sunday last, as people list a week.
            _ => new DayPhrase(DayKind.DaysOfWeek, JoinWords(week.OrderBy(d => (d + 6) % 7).Select(d => DayNames[d]).ToList())),
        };
    }

    /// <summary>"07:00 and 19:00" when the expression fires at a few fixed clock times a day; otherwise null.</summary>
    private static string? ClockTimes(CronFields cron)
    {
        if (cron.Hours.Count == 24 || cron.Minutes.Count * cron.Hours.Count > 6)
        {
            return null;
        }

        return JoinWords(cron.Hours
            .SelectMany(h => cron.Minutes.Select(m => Clock(new TimeOnly(h, m))))
            .ToList());
    }

    /// <summary>
    /// "every 15 minutes", "every hour at :05", "every 2 hours at :00", "every hour from 09:00 to 17:00";
    /// and whether its phase depends on the zone.
    /// </summary>
    private static (string Text, bool DependsOnZone)? Repeat(CronFields cron)
    {
        var minute = cron.Minutes.Count == 1 ? cron.Minutes.Min : -1;
        if (cron.Hours.Count == 24)
        {
            if (cron.Minutes.Count == 60)
            {
                return ("every minute", false);
            }

            if (IsStepFromZero(cron.Minutes, 60, out var step))
            {
                return ($"every {step} minutes", false);
            }

            return minute >= 0 ? ($"every hour at :{minute:00}", true) : null;
        }

        if (minute >= 0 && IsStepFromZero(cron.Hours, 24, out var hours))
        {
            return ($"every {hours} hours at :{minute:00}", true);
        }

        // A working-hours window such as 9-17: a contiguous run of hours.
        var (first, last) = (cron.Hours.Min, cron.Hours.Max);
        if (last - first + 1 != cron.Hours.Count)
        {
            return null;
        }

        var from = Clock(new TimeOnly(first, cron.Minutes.Min));
        var to = Clock(new TimeOnly(last, cron.Minutes.Max));
        if (cron.Minutes.Count == 60)
        {
            return ($"every minute from {from} to {to}", true);
        }

        if (IsStepFromZero(cron.Minutes, 60, out var every))
        {
            return ($"every {every} minutes from {from} to {to}", true);
        }

        return minute >= 0 ? ($"every hour from {from} to {to}", true) : null;
    }

    /// <summary>True when <paramref name="values"/> is exactly 0, n, 2n, … and n divides the period evenly (no gap at the wrap).</summary>
    private static bool IsStepFromZero(SortedSet<int> values, int period, out int step)
    {
        step = values.Count > 1 ? values.ElementAt(1) : 0;
        if (values.Count < 2 || values.Min != 0 || step < 2 || period % step != 0)
        {
            return false;
        }

        var expected = period / step;
        var n = step;
        return values.Count == expected && values.Select((v, i) => v == i * n).All(ok => ok);
    }

    private static string Clock(TimeOnly time) =>
        time.ToString(time.Second == 0 ? "HH:mm" : "HH:mm:ss", CultureInfo.InvariantCulture);

    private static string ZoneOf(HandSchedule schedule) =>
        string.IsNullOrWhiteSpace(schedule.TimeZone) ? "UTC" : schedule.TimeZone.Trim();

    private static string JoinWords(IReadOnlyList<string> items) => items.Count switch
    {
        0 => "",
        1 => items[0],
        _ => $"{string.Join(", ", items.Take(items.Count - 1))} and {items[^1]}",
    };
}
