using HandsBot.Core.Manifest;
using HandsBot.Core.Model;
using static HandsBot.Core.Tests.Manifest.TestContexts;

namespace HandsBot.Core.Tests.Manifest;

public sealed class ScheduleTests
{
    [Theory]
    [InlineData("schedule = \"0 7,19 * * *\"", "0 7,19 * * *")]
    [InlineData("schedule = \"  0   7 * *   MON-FRI \"", "0 7 * * MON-FRI")]
    [InlineData("schedule = \"30 0 7 * * *\"", "30 0 7 * * *")]
    [InlineData("schedule = { cron = \"*/15 * * * *\" }", "*/15 * * * *")]
    [InlineData("schedule = \"@daily\"", "@daily")]
    public void Parse_ReadsCronSchedule(string line, string expected)
    {
        var s = ParseValid($"[hand]\n{line}\n").Schedule!;

        Assert.Equal(ScheduleKind.Cron, s.Kind);
        Assert.Equal(expected, s.Cron);
        Assert.Equal("UTC", s.TimeZone);
        Assert.Equal(MisfirePolicy.RunOnce, s.Misfire);
        Assert.Equal(TimeSpan.FromHours(1), s.MisfireGrace);
    }

    [Fact]
    public void Parse_ReadsIntervalSchedule()
    {
        var s = ParseValid("[hand]\n[hand.schedule]\ninterval = 900\n").Schedule!;

        Assert.Equal(ScheduleKind.Interval, s.Kind);
        Assert.Equal(TimeSpan.FromMinutes(15), s.Interval);
        Assert.Null(s.Cron);
    }

    [Theory]
    [InlineData("at = \"07:30\"", new[] { "07:30" })]
    [InlineData("at = \"7:05\"", new[] { "07:05" })]
    [InlineData("at = [\"19:00\", \"07:30\", \"19:00\"]", new[] { "07:30", "19:00" })]
    [InlineData("at = 07:30:00", new[] { "07:30" })]
    [InlineData("at = \"23:59\"", new[] { "23:59" })]
    [InlineData("at = \"00:00\"", new[] { "00:00" })]
    public void Parse_ReadsDailyAtSchedule_SortedAndDistinct(string line, string[] expected)
    {
        var s = ParseValid($"[hand]\n[hand.schedule]\n{line}\ntimezone = \"America/New_York\"\n").Schedule!;

        Assert.Equal(ScheduleKind.At, s.Kind);
        Assert.Equal(expected, s.At.Select(t => t.ToString("HH:mm", System.Globalization.CultureInfo.InvariantCulture)));
        Assert.Equal("America/New_York", s.TimeZone);
    }

    [Fact]
    public void Parse_ReadsMisfireSettings()
    {
        var s = ParseValid("[hand]\n[hand.schedule]\ninterval = 60\nmisfire = \"run_once\"\nmisfire_grace = 0\n").Schedule!;

        Assert.Equal(MisfirePolicy.RunOnce, s.Misfire);
        Assert.Equal(TimeSpan.Zero, s.MisfireGrace);
    }

    [Fact]
    public void Parse_WarnsAndUsesIanaId_WhenTimeZoneIsAWindowsId()
    {
        var (manifest, diagnostics) = Parse("[hand]\n[hand.schedule]\ninterval = 60\ntimezone = \"W. Europe Standard Time\"\n");

        if (TimeZoneInfo.TryConvertWindowsIdToIanaId("W. Europe Standard Time", out var iana))
        {
            Assert.Equal(iana, manifest!.Schedule!.TimeZone);
            var warning = Assert.Single(diagnostics);
            Assert.Equal(Severity.Warning, warning.Severity);
            Assert.Equal("schedule.timezone", warning.Key);
        }
    }

    [Theory]
    [InlineData("0 7 * * *")]
    [InlineData("0 0 * * 0")]
    [InlineData("0 0 * * 7")]
    [InlineData("0 9 * JAN,DEC MON")]
    [InlineData("*/5 * * * *")]
    [InlineData("0 0 L * *")]
    [InlineData("15 30 8 * * *")]
    [InlineData("@hourly")]
    public void CronSyntax_Accepts_ValidExpressions(string expr)
    {
        Assert.True(CronSyntax.TryParse(expr, out var cron, out var error), error);
        Assert.NotNull(cron);
        Assert.Null(error);
    }

    [Theory]
    [InlineData("", "empty")]
    [InlineData("   ", "empty")]
    [InlineData("0 7 * *", "has 4 fields, expected 5")]
    [InlineData("0 0 7 * * * *", "has 7 fields")]
    [InlineData("hourly", "has 1 field,")]
    [InlineData("61 * * * *", "Minutes")]
    [InlineData("0 24 * * *", "Hours")]
    [InlineData("0 0 * * 8", "Days of week")]
    [InlineData("0 0 * FOO *", "invalid cron expression '0 0 * FOO *'")]
    [InlineData("H * * * *", "'H' (hashed jitter) is not supported")]
    [InlineData("0 H(0-6) * * *", "'H' (hashed jitter) is not supported")]
    public void CronSyntax_Rejects_InvalidExpressions(string expr, string messagePart)
    {
        Assert.False(CronSyntax.TryParse(expr, out var cron, out var error));
        Assert.Null(cron);
        Assert.Contains(messagePart, error, StringComparison.Ordinal);
    }

    [Fact]
    public void CronSyntax_TreatsSixFieldsAsSeconds()
    {
        Assert.True(CronSyntax.TryParse("30 0 7 * * *", out var cron, out _));

        var next = cron!.GetNextOccurrence(new DateTime(2026, 1, 1, 0, 0, 0, DateTimeKind.Utc));
        Assert.Equal(new DateTime(2026, 1, 1, 7, 0, 30, DateTimeKind.Utc), next);
    }

    [Fact]
    public void CronSyntax_TreatsSevenAsSunday()
    {
        Assert.True(CronSyntax.TryParse("0 0 * * 7", out var cron, out _));

        // 2026-01-04 is a Sunday.
        var next = cron!.GetNextOccurrence(new DateTime(2026, 1, 1, 0, 0, 0, DateTimeKind.Utc));
        Assert.Equal(new DateTime(2026, 1, 4, 0, 0, 0, DateTimeKind.Utc), next);
    }
}
