using HandsBot.Core.Chat;
using HandsBot.Core.Model;

namespace HandsBot.Core.Tests.Chat;

public sealed class HandsListingTests
{
    [Fact]
    public async Task Hands_ShowsStateScheduleNextRunAndLastOutcome()
    {
        var h = new ChatHarness().WithStandardHands();
        h.Engine.Update("oracle", v => v with { LastOutcome = ExecutionOutcome.Failure, LastRunAt = ChatHarness.Start.AddHours(-2) });

        var reply = await h.Command(ChatHarness.Viewer, "/hands");
        var lines = reply.Markdown.Split('\n');

        Assert.Equal("**Hands** (4)", lines[0]);
        var oracle = Assert.Single(lines, l => l.Contains("**oracle**", StringComparison.Ordinal));
        // 12:00 UTC on 23 Nov; the next 07:00 Berlin is 06:00 UTC on 24 Nov.
        Assert.Contains("idle", oracle, StringComparison.Ordinal);
        Assert.Contains("next in 18 h (Tue 24 Nov 07:00 Europe/Berlin)", oracle, StringComparison.Ordinal);
        Assert.Contains("last: failed 2 h ago", oracle, StringComparison.Ordinal);
        Assert.Contains(lines, l => l.StartsWith("• **sleeper** — paused", StringComparison.Ordinal));
        Assert.Contains(lines, l => l.StartsWith("• **off** — disabled", StringComparison.Ordinal));
        Assert.Contains("• **broken** — invalid: cron expression has 4 fields", lines);
    }

    [Fact]
    public async Task Hands_OffersRunAndPauseOrResume_OnlyForUsableHands()
    {
        var h = new ChatHarness().WithStandardHands();
        var reply = await h.Command(ChatHarness.Viewer, "/hands");
        var ids = reply.Buttons.SelectMany(r => r).Select(b => b.Id).ToList();

        // broken and off (invalid, disabled) get none; oracle gets Run + Pause; paused sleeper gets Resume only.
        Assert.Equal(["hb1:run:oracle", "hb1:pause:oracle", "hb1:resume:sleeper"], ids);
    }

    [Theory]
    [InlineData(1, 8, false, true)]
    [InlineData(2, 8, true, true)]
    [InlineData(3, 4, true, false)]
    [InlineData(9, 4, true, false)] // past the end: the last page
    public async Task Hands_Paginates_WithPrevAndNextButtons(int page, int handsShown, bool prev, bool next)
    {
        var h = new ChatHarness();
        for (var i = 0; i < 20; i++) h.Engine.AddHand($"hand-{i:00}", ChatHarness.Daily7Berlin);

        var reply = await h.Command(ChatHarness.Viewer, page == 1 ? "/hands" : $"/hands {page}");

        Assert.Equal(handsShown, reply.Markdown.Split('\n').Count(l => l.StartsWith("• ", StringComparison.Ordinal)));
        var nav = reply.Buttons[^1].Select(b => b.Id).ToList();
        var shownPage = Math.Min(page, 3);
        Assert.Equal(prev, nav.Contains($"hb1:page:{shownPage - 1}"));
        Assert.Equal(next, nav.Contains($"hb1:page:{shownPage + 1}"));
        Assert.StartsWith($"**Hands** · page {shownPage}/3 · 20 hands", reply.Markdown, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Hands_FitsOneMessageAndDiscordButtonLimits_WithLongestNames()
    {
        var h = new ChatHarness();
        for (var i = 0; i < 30; i++)
        {
            h.Engine.AddHand($"a-very-long-hand-name-number-{i:000}", new HandSchedule { Kind = ScheduleKind.Cron, Cron = "*/5 * * * *", TimeZone = "America/Argentina/Buenos_Aires" });
            h.Engine.Update($"a-very-long-hand-name-number-{i:000}", v => v with { LastOutcome = ExecutionOutcome.ApprovalPending, LastRunAt = ChatHarness.Start.AddDays(-3) });
        }
        Assert.Equal(32, "a-very-long-hand-name-number-000".Length);

        foreach (var page in new[] { 1, 2, 4 })
        {
            var reply = await h.Command(ChatHarness.Viewer, $"/hands {page}");
            Assert.True(reply.Markdown.Length < 2000, $"page {page} is {reply.Markdown.Length} chars");
            Assert.True(reply.Buttons.Count <= 5);
            Assert.All(reply.Buttons, row => Assert.True(row.Count <= 5));
            Assert.All(reply.Buttons.SelectMany(r => r), b => Assert.True(b.Label.Length <= 80));
        }
    }

    [Fact]
    public async Task PageButton_ReturnsRequestedPage_AsUpdatedMessage()
    {
        var h = new ChatHarness();
        for (var i = 0; i < 10; i++) h.Engine.AddHand($"hand-{i:00}");

        var tap = await h.Tap(ChatHarness.Viewer, "hb1:page:2");

        Assert.False(tap.IsRefusal);
        Assert.NotNull(tap.UpdatedMessage);
        Assert.Contains("**hand-08**", tap.UpdatedMessage.Markdown, StringComparison.Ordinal);
        Assert.DoesNotContain("**hand-00**", tap.UpdatedMessage.Markdown, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("/hands 0")]
    [InlineData("/hands two")]
    [InlineData("/hands 1 2")]
    public async Task Hands_ExplainsBadPage(string text)
    {
        var reply = await new ChatHarness().WithStandardHands().Command(ChatHarness.Viewer, text);
        Assert.True(reply.IsRefusal);
        Assert.DoesNotContain('\n', reply.Markdown);
    }

    [Fact]
    public async Task Hands_SaysHowToAddOne_WhenThereAreNone()
    {
        var reply = await new ChatHarness().Command(ChatHarness.Viewer, "/hands");
        Assert.Contains("HAND.toml", reply.Markdown, StringComparison.Ordinal);
        Assert.Empty(reply.Buttons);
    }

    [Fact]
    public async Task CompleteHandNames_ListsPrefixMatchesBeforeSubstringMatches()
    {
        var h = new ChatHarness();
        foreach (var n in new[] { "news-digest", "Oracle", "ora-backup", "weather-oracle", "zeta" }) h.Engine.AddHand(n);

        Assert.Equal(["ora-backup", "Oracle", "weather-oracle"], await h.Service.CompleteHandNamesAsync("ORA", 10));
        Assert.Equal(["ora-backup", "Oracle"], await h.Service.CompleteHandNamesAsync("ora", 2));
        Assert.Equal(5, (await h.Service.CompleteHandNamesAsync("", 10)).Count);
        Assert.Empty(await h.Service.CompleteHandNamesAsync("ora", 0));
    }
}
