using System.Globalization;
using HandsBot.Core.Model;
using HandsBot.Core.Scheduling;

namespace HandsBot.Core.Tests.Scheduling;

public sealed class ScheduleDescriberTests
{
    [Theory]
    [InlineData("0 7,19 * * *", "Europe/Berlin", "every day at 07:00 and 19:00 Europe/Berlin")]
    [InlineData("0 7 * * *", "UTC", "every day at 07:00 UTC")]
    [InlineData("30 6,12,18 * * *", "UTC", "every day at 06:30, 12:30 and 18:30 UTC")]
    [InlineData("0,30 9 * * *", "UTC", "every day at 09:00 and 09:30 UTC")]
    [InlineData("0 */6 * * *", "UTC", "every day at 00:00, 06:00, 12:00 and 18:00 UTC")]
    [InlineData("*/15 * * * *", "Europe/Berlin", "every 15 minutes")]
    [InlineData("0-59/15 * * * *", "UTC", "every 15 minutes")]
    [InlineData("* * * * *", "UTC", "every minute")]
    [InlineData("5 * * * *", "UTC", "every hour at :05 UTC")]
    [InlineData("0 */2 * * *", "UTC", "every 2 hours at :00 UTC")]
    [InlineData("30 */3 * * *", "UTC", "every 3 hours at :30 UTC")]
    [InlineData("0 */5 * * *", "UTC", "every day at 00:00, 05:00, 10:00, 15:00 and 20:00 UTC")]
    [InlineData("30 9 * * 1-5", "America/New_York", "weekdays at 09:30 America/New_York")]
    [InlineData("30 9 * * MON-FRI", "America/New_York", "weekdays at 09:30 America/New_York")]
    [InlineData("0 10 * * 0,6", "UTC", "weekends at 10:00 UTC")]
    [InlineData("0 10 * * SAT,SUN", "UTC", "weekends at 10:00 UTC")]
    [InlineData("0 8 * * 1", "UTC", "every Monday at 08:00 UTC")]
    [InlineData("0 8 * * mon", "UTC", "every Monday at 08:00 UTC")]
    [InlineData("0 8 * * 0", "UTC", "every Sunday at 08:00 UTC")]
    [InlineData("0 8 * * 7", "UTC", "every Sunday at 08:00 UTC")]
    [InlineData("0 8 * * 0,1,3", "UTC", "every Monday, Wednesday and Sunday at 08:00 UTC")]
    [InlineData("0 8 * * 0-6", "UTC", "every day at 08:00 UTC")]
    [InlineData("0 6 1 * *", "UTC", "on day 1 of every month at 06:00 UTC")]
    [InlineData("0 6 1,15 * ?", "UTC", "on days 1 and 15 of every month at 06:00 UTC")]
    [InlineData("*/30 * * * 1-5", "UTC", "every 30 minutes on weekdays UTC")]
    [InlineData("15 * * * 1", "UTC", "every hour at :15 on Monday UTC")]
    [InlineData("0 * 1 * *", "UTC", "every hour at :00 on day 1 of every month UTC")]
    [InlineData("0 9-17 * * 1-5", "UTC", "every hour from 09:00 to 17:00 on weekdays UTC")]
    [InlineData("30 8-20 * * *", "Europe/Berlin", "every hour from 08:30 to 20:30 Europe/Berlin")]
    [InlineData("*/15 9-17 * * 1-5", "UTC", "every 15 minutes from 09:00 to 17:45 on weekdays UTC")]
    [InlineData("* 9 * * *", "UTC", "every minute from 09:00 to 09:59 UTC")]
    [InlineData("0 30 7 * * *", "UTC", "every day at 07:30 UTC")] // 6 fields with seconds 0
    [InlineData("@daily", "UTC", "every day at 00:00 UTC")]
    [InlineData("@hourly", "UTC", "every hour at :00 UTC")]
    [InlineData("@weekly", "UTC", "every Sunday at 00:00 UTC")]
    [InlineData("@monthly", "UTC", "on day 1 of every month at 00:00 UTC")]
    [InlineData("  0   7  *  *  * ", "", "every day at 07:00 UTC")]
    public void Describe_UsesWords_WhenCronHasExactDescription(string cron, string zone, string expected)
    {
        Assert.Equal(expected, ScheduleDescriber.Describe(new HandSchedule { Kind = ScheduleKind.Cron, Cron = cron, TimeZone = zone }));
    }

    [Theory]
    [InlineData("*/7 3-5 * 1-6 2")]   // months restricted
    [InlineData("*/7 * * * *")]       // 7 does not divide 60: the gap at the hour is not "every 7 minutes"
    [InlineData("5/15 * * * *")]      // every 15 minutes, but from :05
    [InlineData("0 1-23/2 * * *")]    // every 2 hours, but on odd hours
    [InlineData("*/15 9-11,14-17 * * *")] // a window with a gap
    [InlineData("5,10 9-17 * * *")]   // two minutes an hour in a window
    [InlineData("0 1-23/2 * * 1")]
    [InlineData("0 9 1 * 1")]         // day of month OR day of week
    [InlineData("0 9 1-31 * 1")]
    [InlineData("0 9 31 * *")]        // skipped in short months
    [InlineData("0 9 L * *")]
    [InlineData("0 9 * * 5#3")]
    [InlineData("0 9 15W * *")]
    [InlineData("30 0 9 * * *")]      // seconds other than 0
    [InlineData("* * * * * *")]
    [InlineData("@yearly")]
    [InlineData("61 * * * *")]        // invalid
    [InlineData("0 25 * * *")]
    [InlineData("not cron")]
    [InlineData("H 9 * * *")]
    public void Describe_QuotesCron_WhenNoExactDescription(string cron)
    {
        var schedule = new HandSchedule { Kind = ScheduleKind.Cron, Cron = cron, TimeZone = "Europe/Berlin" };

        Assert.Equal($"cron `{cron}` (Europe/Berlin)", ScheduleDescriber.Describe(schedule));
    }

    [Fact]
    public void Describe_QuotesCronAsInBrief_WhenNoExactDescription()
    {
        Assert.Equal(
            "cron `*/7 3-5 * 1-6 2` (UTC)",
            ScheduleDescriber.Describe(new HandSchedule { Kind = ScheduleKind.Cron, Cron = "*/7 3-5 * 1-6 2" }));
    }

    [Theory]
    [InlineData(900, "every 15 minutes")]
    [InlineData(7200, "every 2 hours")]
    [InlineData(3600, "every hour")]
    [InlineData(5400, "every 90 minutes")]
    [InlineData(60, "every minute")]
    [InlineData(30, "every 30 seconds")]
    [InlineData(1, "every second")]
    [InlineData(86400, "every 24 hours")]
    [InlineData(172800, "every 2 days")]
    [InlineData(3661, "every 3661 seconds")]
    [InlineData(0, "interval not set")]
    [InlineData(-60, "interval not set")]
    public void Describe_SaysInterval(int seconds, string expected)
    {
        var schedule = new HandSchedule { Kind = ScheduleKind.Interval, Interval = TimeSpan.FromSeconds(seconds) };

        Assert.Equal(expected, ScheduleDescriber.Describe(schedule));
    }

    [Fact]
    public void Describe_SaysMilliseconds_WhenIntervalIsNotWholeSeconds()
    {
        Assert.Equal(
            "every 1500 ms",
            ScheduleDescriber.Describe(new HandSchedule { Kind = ScheduleKind.Interval, Interval = TimeSpan.FromMilliseconds(1500) }));
    }

    [Theory]
    [InlineData("Europe/Berlin", new[] { "07:30" }, "daily at 07:30 Europe/Berlin")]
    [InlineData("UTC", new[] { "19:00", "07:00", "07:00" }, "daily at 07:00 and 19:00 UTC")]
    [InlineData("UTC", new[] { "06:00", "12:00", "18:00:30" }, "daily at 06:00, 12:00 and 18:00:30 UTC")]
    [InlineData("UTC", new string[0], "daily (no times set) UTC")]
    public void Describe_SaysDailyTimes_ForAt(string zone, string[] times, string expected)
    {
        var schedule = new HandSchedule
        {
            Kind = ScheduleKind.At,
            At = times.Select(t => TimeOnly.Parse(t, CultureInfo.InvariantCulture)).ToArray(),
            TimeZone = zone,
        };

        Assert.Equal(expected, ScheduleDescriber.Describe(schedule));
    }

    [Fact]
    public void Describe_SaysManualOnly_WhenNoSchedule()
    {
        Assert.Equal("manual only", ScheduleDescriber.Describe(null));
    }

    [Theory]
    [InlineData(11520, "in 3 h 12 min")]
    [InlineData(11579, "in 3 h 12 min")]
    [InlineData(10800, "in 3 h")]
    [InlineData(45, "in 45 s")]
    [InlineData(-300, "5 min ago")]
    [InlineData(-359, "5 min ago")]
    [InlineData(59 * 60, "in 59 min")]
    [InlineData(2 * 86400 + 4 * 3600 + 59, "in 2 d 4 h")]
    [InlineData(-86400, "1 d ago")]
    [InlineData(0, "now")]
    public void DescribeRelative_SaysDistance(int seconds, string expected)
    {
        var now = new DateTimeOffset(2026, 11, 23, 10, 0, 0, TimeSpan.Zero);

        Assert.Equal(expected, ScheduleDescriber.DescribeRelative(now.AddSeconds(seconds), now));
    }

    [Fact]
    public void DescribeRelative_SaysNow_WhenUnderOneSecond()
    {
        var now = new DateTimeOffset(2026, 11, 23, 10, 0, 0, TimeSpan.Zero);

        Assert.Equal("now", ScheduleDescriber.DescribeRelative(now.AddMilliseconds(999), now));
        Assert.Equal("now", ScheduleDescriber.DescribeRelative(now.AddMilliseconds(-999), now));
    }
}
