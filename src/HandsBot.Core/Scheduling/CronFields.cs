using System.Globalization;

namespace HandsBot.Core.Scheduling;

/// <summary>
/// The value sets of a 5-field cron expression (seconds, if given, must be 0), for describing it in words.
/// Anything beyond plain values, names, ranges, lists and steps (L, W, #, wrapped ranges) yields null,
/// so the describer falls back to quoting the expression rather than guessing.
/// </summary>
internal sealed record CronFields(
    SortedSet<int> Minutes,
    SortedSet<int> Hours,
    SortedSet<int> DaysOfMonth,
    bool AnyDayOfMonth,
    SortedSet<int> Months,
    SortedSet<int> DaysOfWeek,
    bool AnyDayOfWeek)
{
    private static readonly string[] MonthNames = ["JAN", "FEB", "MAR", "APR", "MAY", "JUN", "JUL", "AUG", "SEP", "OCT", "NOV", "DEC"];
    private static readonly string[] DayNames = ["SUN", "MON", "TUE", "WED", "THU", "FRI", "SAT"];

    private static readonly Dictionary<string, string> Macros = new(StringComparer.OrdinalIgnoreCase)
    {
        ["@yearly"] = "0 0 1 1 *",
        ["@annually"] = "0 0 1 1 *",
        ["@monthly"] = "0 0 1 * *",
        ["@weekly"] = "0 0 * * 0",
        ["@daily"] = "0 0 * * *",
        ["@midnight"] = "0 0 * * *",
        ["@hourly"] = "0 * * * *",
        ["@every_minute"] = "* * * * *",
    };

    public static CronFields? TryParse(string expression)
    {
        var text = expression.Trim();
        if (Macros.TryGetValue(text, out var expanded))
        {
            text = expanded;
        }

        var fields = text.Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries);
        if (fields.Length == 6)
        {
            if (fields[0] != "0")
            {
                return null;
            }

            fields = fields[1..];
        }

        if (fields.Length != 5)
        {
            return null;
        }

        var minutes = Values(fields[0], 0, 59, null);
        var hours = Values(fields[1], 0, 23, null);
        var days = Values(fields[2], 1, 31, null);
        var months = Values(fields[3], 1, 12, MonthNames);
        var weekdays = Values(fields[4], 0, 7, DayNames);
        if (minutes is null || hours is null || days is null || months is null || weekdays is null)
        {
            return null;
        }

        // Sunday may be written 0 or 7.
        if (weekdays.Remove(7))
        {
            weekdays.Add(0);
        }

        return new CronFields(minutes, hours, days, IsAny(fields[2]), months, weekdays, IsAny(fields[4]));
    }

    private static bool IsAny(string field) => field is "*" or "?";

    private static SortedSet<int>? Values(string field, int min, int max, string[]? names)
    {
        var values = new SortedSet<int>();
        foreach (var part in field.Split(','))
        {
            var slash = part.Split('/');
            if (slash.Length > 2)
            {
                return null;
            }

            var step = 1;
            if (slash.Length == 2 && (!int.TryParse(slash[1], NumberStyles.None, CultureInfo.InvariantCulture, out step) || step < 1))
            {
                return null;
            }

            int from, to;
            if (IsAny(slash[0]))
            {
                (from, to) = (min, max == 7 ? 6 : max);
            }
            else if (slash[0].Split('-') is [var a, var b])
            {
                if (Value(a, min, max, names) is not { } start || Value(b, min, max, names) is not { } end || end < start)
                {
                    return null;
                }

                (from, to) = (start, end);
            }
            else if (Value(slash[0], min, max, names) is { } single)
            {
                // "5/15" means from 5 to the end in steps of 15.
                (from, to) = (single, slash.Length == 2 ? max : single);
            }
            else
            {
                return null;
            }

            for (var v = from; v <= to; v += step)
            {
                values.Add(v);
            }
        }

        return values;
    }

    private static int? Value(string text, int min, int max, string[]? names)
    {
        if (int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var number))
        {
            return number >= min && number <= max ? number : null;
        }

        if (names is null)
        {
            return null;
        }

        var index = Array.FindIndex(names, n => string.Equals(n, text, StringComparison.OrdinalIgnoreCase));
        return index < 0 ? null : index + (min == 1 ? 1 : 0);
    }
}
