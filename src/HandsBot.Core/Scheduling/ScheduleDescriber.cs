using HandsBot.Core.Model;

namespace HandsBot.Core.Scheduling;

/// <summary>Describes a schedule in words. (Placeholder: being replaced by the full describer.)</summary>
public static class ScheduleDescriber
{
    /// <summary>E.g. "every day at 07:00 and 19:00 Europe/Berlin"; "manual only" for null.</summary>
    public static string Describe(HandSchedule? schedule) => schedule switch
    {
        null => "manual only",
        { Kind: ScheduleKind.Cron } s => $"cron {s.Cron} {s.TimeZone}",
        { Kind: ScheduleKind.Interval } s => $"every {s.Interval} ",
        { } s => $"every day at {string.Join(", ", s.At)} {s.TimeZone}",
    };
}
