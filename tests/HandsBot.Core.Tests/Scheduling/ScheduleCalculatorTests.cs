using System.Globalization;
using HandsBot.Core.Model;
using HandsBot.Core.Scheduling;

namespace HandsBot.Core.Tests.Scheduling;

public sealed class ScheduleCalculatorTests
{
    private static DateTimeOffset At(string iso) => DateTimeOffset.Parse(iso, CultureInfo.InvariantCulture);

    private static HandSchedule Cron(string cron, string zone = "UTC") => new() { Kind = ScheduleKind.Cron, Cron = cron, TimeZone = zone };

    private static HandSchedule Daily(string zone, params string[] times) => new()
    {
        Kind = ScheduleKind.At,
        At = times.Select(t => TimeOnly.Parse(t, CultureInfo.InvariantCulture)).ToArray(),
        TimeZone = zone,
    };

    // 2026-11-20 is a Friday, 2026-11-22 a Sunday, 2026-11-23 a Monday.
    [Theory]
    [InlineData("*/15 * * * *", "2026-11-23T10:07:00Z", "2026-11-23T10:15:00Z")]
    [InlineData("*/15 * * * *", "2026-11-23T10:15:00Z", "2026-11-23T10:30:00Z")] // strictly after
    [InlineData("5 * * * *", "2026-11-23T10:05:00Z", "2026-11-23T11:05:00Z")]
    [InlineData("0 9 * * 1-5", "2026-11-20T10:00:00Z", "2026-11-23T09:00:00Z")]
    [InlineData("0 9 * * MON-FRI", "2026-11-20T10:00:00Z", "2026-11-23T09:00:00Z")]
    [InlineData("0 9 * * mon-fri", "2026-11-20T08:00:00Z", "2026-11-20T09:00:00Z")]
    [InlineData("0 8 * * 0", "2026-11-20T10:00:00Z", "2026-11-22T08:00:00Z")]
    [InlineData("0 8 * * 7", "2026-11-20T10:00:00Z", "2026-11-22T08:00:00Z")]
    [InlineData("0 8 * * SUN", "2026-11-20T10:00:00Z", "2026-11-22T08:00:00Z")]
    [InlineData("0 6 1 * *", "2026-11-23T10:00:00Z", "2026-12-01T06:00:00Z")]
    [InlineData("0 0 1 JAN *", "2026-11-23T10:00:00Z", "2027-01-01T00:00:00Z")]
    [InlineData("30 0 9 * * *", "2026-11-23T09:00:00Z", "2026-11-23T09:00:30Z")] // 6 fields: seconds first
    [InlineData("*/10 * * * * *", "2026-11-23T09:00:05Z", "2026-11-23T09:00:10Z")]
    [InlineData("@daily", "2026-11-23T09:00:00Z", "2026-11-24T00:00:00Z")]
    [InlineData("@hourly", "2026-11-23T09:00:00Z", "2026-11-23T10:00:00Z")]
    [InlineData("  0   9 * * *  ", "2026-11-23T08:00:00Z", "2026-11-23T09:00:00Z")]
    public void Next_FollowsCron_InUtc(string cron, string previous, string expected)
    {
        Assert.Equal(At(expected), ScheduleCalculator.Next(Cron(cron), At(previous)));
    }

    [Theory]
    // Europe/Berlin, 2026-03-29: 02:00 CET jumps to 03:00 CEST. 02:30 does not exist: fires once at 03:00.
    [InlineData("30 2 * * *", "Europe/Berlin", "2026-03-28T12:00:00Z", "2026-03-29T03:00:00+02:00")]
    [InlineData("30 2 * * *", "Europe/Berlin", "2026-03-29T01:00:00Z", "2026-03-30T02:30:00+02:00")]
    [InlineData("0 7 * * *", "Europe/Berlin", "2026-03-28T12:00:00Z", "2026-03-29T07:00:00+02:00")]
    // Europe/Berlin, 2026-10-25: 03:00 CEST falls back to 02:00 CET. 02:30 happens twice: fires once.
    [InlineData("30 2 * * *", "Europe/Berlin", "2026-10-24T12:00:00Z", "2026-10-25T02:30:00+02:00")]
    [InlineData("30 2 * * *", "Europe/Berlin", "2026-10-25T00:30:00Z", "2026-10-26T02:30:00+01:00")]
    [InlineData("0 7 * * *", "Europe/Berlin", "2026-10-24T12:00:00Z", "2026-10-25T07:00:00+01:00")]
    // America/New_York, 2026-03-08: 02:00 EST jumps to 03:00 EDT.
    [InlineData("30 2 * * *", "America/New_York", "2026-03-07T12:00:00Z", "2026-03-08T03:00:00-04:00")]
    [InlineData("30 2 * * *", "America/New_York", "2026-03-08T07:00:00Z", "2026-03-09T02:30:00-04:00")]
    // America/New_York, 2026-11-01: 02:00 EDT falls back to 01:00 EST; 01:30 happens twice: fires once.
    [InlineData("30 1 * * *", "America/New_York", "2026-10-31T12:00:00Z", "2026-11-01T01:30:00-04:00")]
    [InlineData("30 1 * * *", "America/New_York", "2026-11-01T05:30:00Z", "2026-11-02T01:30:00-05:00")]
    public void Next_FiresOnce_WhenCronTimeIsSkippedOrRepeatedByDst(string cron, string zone, string previous, string expected)
    {
        Assert.Equal(At(expected), ScheduleCalculator.Next(Cron(cron, zone), At(previous)));
    }

    [Theory]
    [InlineData("Europe/Berlin", "2026-03-28T12:00:00Z", "2026-03-29T03:00:00+02:00")]
    [InlineData("Europe/Berlin", "2026-03-29T01:00:00Z", "2026-03-30T02:30:00+02:00")]
    [InlineData("Europe/Berlin", "2026-10-24T12:00:00Z", "2026-10-25T02:30:00+02:00")]
    [InlineData("Europe/Berlin", "2026-10-25T00:30:00Z", "2026-10-26T02:30:00+01:00")]
    [InlineData("America/New_York", "2026-03-07T12:00:00Z", "2026-03-08T03:00:00-04:00")]
    [InlineData("America/New_York", "2026-03-08T07:00:00Z", "2026-03-09T02:30:00-04:00")]
    public void Next_FiresOnce_WhenAtTimeIsSkippedOrRepeatedByDst(string zone, string previous, string expected)
    {
        Assert.Equal(At(expected), ScheduleCalculator.Next(Daily(zone, "02:30"), At(previous)));
    }

    [Fact]
    public void Next_FiresOnce_WhenAtTimeIsRepeatedInNewYork()
    {
        var schedule = Daily("America/New_York", "01:30");

        Assert.Equal(
            [At("2026-11-01T01:30:00-04:00"), At("2026-11-02T01:30:00-05:00")],
            ScheduleCalculator.Between(schedule, At("2026-10-31T12:00:00Z"), At("2026-11-02T12:00:00Z"), 10));
    }

    [Fact]
    public void Between_FiresInBothRepeatedHours_WhenHourlyAcrossFallBack()
    {
        var due = ScheduleCalculator.Between(Cron("0 * * * *", "Europe/Berlin"), At("2026-10-24T23:30:00Z"), At("2026-10-25T02:00:00Z"), 10);

        Assert.Equal(
            [At("2026-10-25T02:00:00+02:00"), At("2026-10-25T02:00:00+01:00"), At("2026-10-25T03:00:00+01:00")],
            due);
    }

    [Fact]
    public void Between_SkipsMissingHourOnce_WhenHourlyAcrossSpringForward()
    {
        var due = ScheduleCalculator.Between(Cron("0 * * * *", "America/New_York"), At("2026-03-08T05:30:00Z"), At("2026-03-08T09:00:00Z"), 10);

        Assert.Equal(
            [At("2026-03-08T01:00:00-05:00"), At("2026-03-08T03:00:00-04:00"), At("2026-03-08T04:00:00-04:00"), At("2026-03-08T05:00:00-04:00")],
            due);
    }

    [Fact]
    public void Next_TakesEarliestTime_WhenAtHasSeveral()
    {
        var schedule = Daily("Europe/Berlin", "19:00", "07:00");

        Assert.Equal(
            [At("2026-11-23T19:00:00+01:00"), At("2026-11-24T07:00:00+01:00"), At("2026-11-24T19:00:00+01:00")],
            ScheduleCalculator.Between(schedule, At("2026-11-23T10:00:00Z"), At("2026-11-25T00:00:00Z"), 10));
    }

    [Theory]
    [InlineData(900, "2026-11-23T10:07:13Z", "2026-11-23T10:22:13Z")]
    [InlineData(7200, "2026-10-25T00:30:00Z", "2026-10-25T02:30:00Z")] // plain elapsed time, DST is irrelevant
    [InlineData(86400, "2026-03-28T12:00:00Z", "2026-03-29T12:00:00Z")]
    public void Next_AddsInterval_AnchoredOnPrevious(int seconds, string previous, string expected)
    {
        var schedule = new HandSchedule { Kind = ScheduleKind.Interval, Interval = TimeSpan.FromSeconds(seconds), TimeZone = "Europe/Berlin" };

        Assert.Equal(At(expected), ScheduleCalculator.Next(schedule, At(previous)));
    }

    [Theory]
    [InlineData(10, "2026-11-23T13:00:00Z", 3)] // until is inclusive
    [InlineData(2, "2026-11-23T13:00:00Z", 2)]  // max caps
    [InlineData(10, "2026-11-23T10:59:59Z", 0)]
    [InlineData(0, "2026-11-23T13:00:00Z", 0)]
    public void Between_StopsAtUntilOrMax(int max, string until, int expectedCount)
    {
        var due = ScheduleCalculator.Between(Cron("0 * * * *"), At("2026-11-23T10:00:00Z"), At(until), max);

        Assert.Equal(expectedCount, due.Count);
        Assert.Equal(
            Enumerable.Range(1, expectedCount).Select(h => At("2026-11-23T10:00:00Z").AddHours(h)),
            due);
    }

    [Theory]
    [InlineData("UTC", 0)]
    [InlineData("", 0)]
    [InlineData("Asia/Kathmandu", 345)]
    public void Zone_ResolvesIanaIds(string zone, int offsetMinutes)
    {
        var info = ScheduleCalculator.Zone(Cron("* * * * *", zone));

        Assert.Equal(TimeSpan.FromMinutes(offsetMinutes), info.GetUtcOffset(At("2026-11-23T00:00:00Z")));
    }

    public static TheoryData<HandSchedule, string> Invalid => new()
    {
        { new HandSchedule { Kind = ScheduleKind.Cron, Cron = "61 * * * *" }, "Invalid cron expression '61 * * * *'" },
        { new HandSchedule { Kind = ScheduleKind.Cron, Cron = "* * *" }, "Invalid cron expression '* * *'" },
        { new HandSchedule { Kind = ScheduleKind.Cron }, "needs a cron expression" },
        { new HandSchedule { Kind = ScheduleKind.Interval }, "needs a positive interval" },
        { new HandSchedule { Kind = ScheduleKind.Interval, Interval = TimeSpan.Zero }, "needs a positive interval" },
        { new HandSchedule { Kind = ScheduleKind.At }, "at least one time of day" },
        { new HandSchedule { Kind = ScheduleKind.Cron, Cron = "0 * * * *", TimeZone = "Mars/Olympus" }, "Unknown time zone 'Mars/Olympus'" },
    };

    [Theory]
    [MemberData(nameof(Invalid))]
    public void Validate_ExplainsProblem_WhenScheduleIsInvalid(HandSchedule schedule, string expected)
    {
        Assert.Contains(expected, ScheduleCalculator.Validate(schedule), StringComparison.Ordinal);
        var error = Assert.ThrowsAny<ArgumentException>(() => ScheduleCalculator.Next(schedule, At("2026-11-23T10:00:00Z")));
        Assert.Contains(expected, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Validate_ReturnsNull_WhenScheduleIsValid()
    {
        Assert.Null(ScheduleCalculator.Validate(Cron("0 9 * * MON-FRI", "America/New_York")));
        Assert.Null(ScheduleCalculator.Validate(Daily("Europe/Berlin", "07:30")));
    }

    [Fact]
    public void Next_Throws_WhenCronNeverFiresAgain()
    {
        Assert.Throws<InvalidOperationException>(() => ScheduleCalculator.Next(Cron("0 0 30 2 *"), At("2026-11-23T10:00:00Z")));
    }

    [Fact]
    public void Next_GivesSameAnswers_WhenCalledFromManyThreads()
    {
        var schedules = Enumerable.Range(0, 200).Select(i => Cron($"{i % 60} {i % 24} * * *", i % 2 == 0 ? "Europe/Berlin" : "UTC")).ToArray();
        var previous = At("2026-11-23T10:00:00Z");
        var expected = schedules.Select(s => ScheduleCalculator.Next(s, previous)).ToArray();

        var actual = new DateTimeOffset[schedules.Length];
        Parallel.For(0, schedules.Length, i => actual[i] = ScheduleCalculator.Next(schedules[i], previous));

        Assert.Equal(expected, actual);
    }
}
