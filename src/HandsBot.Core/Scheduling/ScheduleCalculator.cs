using System.Collections.Concurrent;
using Cronos;
using HandsBot.Core.Model;

namespace HandsBot.Core.Scheduling;

/// <summary>
/// Computes when a schedule is due. Cron and daily "at" times are evaluated in the schedule's IANA zone with
/// Cronos's DST rules: a local time skipped by spring-forward fires once right after the gap, a local time
/// repeated by fall-back fires once, and hourly (or finer) expressions fire in both repeated hours.
/// Parsed expressions and zones are cached, so this is cheap to call for thousands of hands from any thread.
/// </summary>
public static class ScheduleCalculator
{
    private static readonly ConcurrentDictionary<string, CronExpression> Expressions = new(StringComparer.Ordinal);
    private static readonly ConcurrentDictionary<string, TimeZoneInfo> Zones = new(StringComparer.Ordinal);

    /// <summary>The first due time strictly after <paramref name="previous"/>.</summary>
    /// <exception cref="ArgumentException">The schedule is invalid (see <see cref="Validate"/>).</exception>
    /// <exception cref="InvalidOperationException">The schedule never fires again (e.g. a date past year 9999).</exception>
    public static DateTimeOffset Next(HandSchedule schedule, DateTimeOffset previous)
    {
        ArgumentNullException.ThrowIfNull(schedule);
        return schedule.Kind switch
        {
            // Anchored on the previous due time, so delays in running never shift later slots.
            ScheduleKind.Interval => previous + PositiveInterval(schedule),
            ScheduleKind.Cron => NextOf(CronOf(schedule), previous, schedule),
            ScheduleKind.At => NextAt(schedule, previous),
            _ => throw new ArgumentException($"Unknown schedule kind {schedule.Kind}.", nameof(schedule)),
        };
    }

    /// <summary>Successive due times after <paramref name="previous"/> up to and including <paramref name="until"/>, at most <paramref name="max"/>.</summary>
    public static IReadOnlyList<DateTimeOffset> Between(HandSchedule schedule, DateTimeOffset previous, DateTimeOffset until, int max)
    {
        ArgumentNullException.ThrowIfNull(schedule);
        var due = new List<DateTimeOffset>();
        var cursor = previous;
        while (due.Count < max)
        {
            cursor = Next(schedule, cursor);
            if (cursor > until)
            {
                break;
            }

            due.Add(cursor);
        }

        return due;
    }

    /// <summary>The schedule's zone ("UTC" when not given).</summary>
    /// <exception cref="ArgumentException">The zone id is unknown.</exception>
    public static TimeZoneInfo Zone(HandSchedule schedule)
    {
        ArgumentNullException.ThrowIfNull(schedule);
        var id = string.IsNullOrWhiteSpace(schedule.TimeZone) ? "UTC" : schedule.TimeZone.Trim();
        return Zones.GetOrAdd(id, static id =>
        {
            try
            {
                return TimeZoneInfo.FindSystemTimeZoneById(id);
            }
            catch (Exception e) when (e is TimeZoneNotFoundException or InvalidTimeZoneException)
            {
                throw new ArgumentException($"Unknown time zone '{id}': use an IANA zone id such as 'Europe/Berlin' or 'UTC'.", nameof(schedule), e);
            }
        });
    }

    /// <summary>Why the schedule cannot be computed, or null when it is valid. For manifest validation.</summary>
    public static string? Validate(HandSchedule schedule)
    {
        ArgumentNullException.ThrowIfNull(schedule);
        try
        {
            Zone(schedule);
            switch (schedule.Kind)
            {
                case ScheduleKind.Interval:
                    PositiveInterval(schedule);
                    break;
                case ScheduleKind.Cron:
                    CronOf(schedule);
                    break;
                case ScheduleKind.At:
                    AtExpressions(schedule);
                    break;
                default:
                    return $"Unknown schedule kind {schedule.Kind}.";
            }

            return null;
        }
        catch (ArgumentException e)
        {
            return e.Message;
        }
    }

    /// <summary>The parsed cron expression (5 fields, 6 with seconds first, or a macro such as @daily).</summary>
    internal static CronExpression ParseCron(string expression)
    {
        var text = expression.Trim();
        return Expressions.GetOrAdd(text, static text =>
        {
            var fields = text.Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries).Length;
            var format = fields == 6 ? CronFormat.IncludeSeconds : CronFormat.Standard;
            try
            {
                return CronExpression.Parse(text, format);
            }
            catch (CronFormatException e)
            {
                throw new ArgumentException($"Invalid cron expression '{text}': {e.Message} Use 5 fields (minute hour day-of-month month day-of-week) or 6 with seconds first.", "schedule", e);
            }
        });
    }

    private static CronExpression CronOf(HandSchedule schedule) =>
        string.IsNullOrWhiteSpace(schedule.Cron)
            ? throw new ArgumentException("A cron schedule needs a cron expression.", nameof(schedule))
            : ParseCron(schedule.Cron);

    private static TimeSpan PositiveInterval(HandSchedule schedule) =>
        schedule.Interval is { } interval && interval > TimeSpan.Zero
            ? interval
            : throw new ArgumentException($"An interval schedule needs a positive interval (got {schedule.Interval?.ToString() ?? "none"}).", nameof(schedule));

    private static DateTimeOffset NextAt(HandSchedule schedule, DateTimeOffset previous)
    {
        DateTimeOffset? earliest = null;
        foreach (var expression in AtExpressions(schedule))
        {
            var next = NextOf(expression, previous, schedule);
            if (earliest is null || next < earliest)
            {
                earliest = next;
            }
        }

        return earliest!.Value;
    }

    // One daily expression per time of day, so each time keeps Cronos's DST handling.
    private static IEnumerable<CronExpression> AtExpressions(HandSchedule schedule)
    {
        if (schedule.At.Count == 0)
        {
            throw new ArgumentException("An 'at' schedule needs at least one time of day.", nameof(schedule));
        }

        return schedule.At.Select(t => ParseCron($"{t.Second} {t.Minute} {t.Hour} * * *"));
    }

    private static DateTimeOffset NextOf(CronExpression expression, DateTimeOffset previous, HandSchedule schedule) =>
        expression.GetNextOccurrence(previous, Zone(schedule), inclusive: false)
        ?? throw new InvalidOperationException($"The schedule '{expression}' has no occurrence after {previous:O}.");
}
