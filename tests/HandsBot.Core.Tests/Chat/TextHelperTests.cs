using HandsBot.Core.Chat;
using HandsBot.Core.Text;

namespace HandsBot.Core.Tests.Chat;

public sealed class TextHelperTests
{
    private static readonly DateTimeOffset Now = new(2026, 11, 23, 12, 0, 0, TimeSpan.Zero);

    [Theory]
    [InlineData(0, "in under a minute")]
    [InlineData(-30, "just now")]
    [InlineData(5 * 60, "in 5 min")]
    [InlineData(-5 * 60, "5 min ago")]
    [InlineData(3 * 3600 + 20 * 60, "in 3 h 20 min")]
    [InlineData(2 * 3600, "in 2 h")]
    [InlineData(26 * 3600, "in 1 d 2 h")]
    [InlineData(-3 * 86400, "3 d ago")]
    public void Relative_DescribesOffsetFromNow(int seconds, string expected) =>
        Assert.Equal(expected, TimeText.Relative(Now.AddSeconds(seconds), Now));

    [Theory]
    [InlineData("UTC", "Mon 23 Nov 12:00 UTC")]
    [InlineData(null, "Mon 23 Nov 12:00 UTC")]
    [InlineData("Europe/Berlin", "Mon 23 Nov 13:00 Europe/Berlin (Mon 23 Nov 12:00 UTC)")]
    [InlineData("Asia/Kolkata", "Mon 23 Nov 17:30 Asia/Kolkata (Mon 23 Nov 12:00 UTC)")]
    [InlineData("Not/AZone", "Mon 23 Nov 12:00 UTC")]
    public void InZoneAndUtc_ShowsLocalAndUtcTimes(string? zone, string expected) =>
        Assert.Equal(expected, TimeText.InZoneAndUtc(Now, zone));

    [Fact]
    public void InZone_FollowsDaylightSaving()
    {
        var summer = new DateTimeOffset(2026, 7, 1, 5, 0, 0, TimeSpan.Zero);
        Assert.Equal("Wed 1 Jul 07:00 Europe/Berlin", TimeText.InZone(summer, "Europe/Berlin"));
    }

    [Theory]
    [InlineData("plain words", "plain words")]
    [InlineData("my_hand *bold* `code` [link](x)", "my\\_hand \\*bold\\* \\`code\\` \\[link\\](x)")]
    [InlineData("# heading", "\\# heading")]
    [InlineData("- item", "\\- item")]
    [InlineData("> quote", "\\> quote")]
    [InlineData("a-b 3+4", "a-b 3+4")]
    [InlineData("two\nlines", "two lines")]
    [InlineData("<b>html</b>", "\\<b\\>html\\</b\\>")]
    public void Escape_MakesTextLiteral(string text, string expected) =>
        Assert.Equal(expected, Md.Escape(text));

    [Theory]
    [InlineData("abc", "`abc`")]
    [InlineData("a`b", "``a`b``")]
    [InlineData("`a", "`` `a ``")]
    public void Code_SurvivesBackticks(string text, string expected) =>
        Assert.Equal(expected, Md.Code(text));

    [Theory]
    [InlineData("\n\n  first line  \nsecond", 80, "first line")]
    [InlineData("abcdefghij", 5, "abcd…")]
    [InlineData("   ", 5, "")]
    [InlineData(null, 5, "")]
    public void FirstLine_TakesFirstNonBlankLine(string? text, int max, string expected) =>
        Assert.Equal(expected, Md.FirstLine(text, max));

    [Theory]
    [InlineData("orcale", new[] { "oracle" })]
    [InlineData("ORA", new[] { "ora-backup", "oracle" })]
    [InlineData("backup", new[] { "ora-backup" })]
    [InlineData("weathr", new[] { "weather" })]
    [InlineData("xyzzy", new string[0])]
    public void Suggest_FindsCloseNames(string typed, string[] expected) =>
        Assert.Equal(expected, NameSuggester.Suggest(typed, ["oracle", "ora-backup", "weather", "news"]));

    [Theory]
    [InlineData("", "", 0)]
    [InlineData("kitten", "sitting", 3)]
    [InlineData("oracle", "orcale", 2)]
    [InlineData("abc", "", 3)]
    public void Distance_IsLevenshtein(string a, string b, int expected) =>
        Assert.Equal(expected, NameSuggester.Distance(a, b));
}
