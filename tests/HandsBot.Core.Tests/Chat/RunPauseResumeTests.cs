using HandsBot.Core.Chat;
using HandsBot.Core.Delivery;
using HandsBot.Core.Model;

namespace HandsBot.Core.Tests.Chat;

public sealed class RunPauseResumeTests
{
    [Fact]
    public async Task Run_StartsManualRun_AndAnswersWithRunId()
    {
        var h = new ChatHarness().WithStandardHands();

        var reply = await h.Command(ChatHarness.Operator, "/run ORACLE");

        var (hand, request) = Assert.Single(h.Engine.Triggers);
        Assert.Equal("oracle", hand);
        Assert.Equal(RunTrigger.Manual, request.Trigger);
        Assert.Equal("telegram:2", request.RequestedBy);
        Assert.Equal(new ChannelTarget("telegram", "-100500"), request.ReplyTo);
        var id = h.Engine.Executions.Single().Id;
        Assert.Equal($"▶ **oracle** started, run `{id[..8]}`. The result will be posted here too.", reply.Markdown);
        Assert.False(reply.IsRefusal);
        Assert.False(reply.Private);
    }

    [Fact]
    public async Task Run_DoesNotAskForReply_WhenReplyToInvokerIsOff()
    {
        var h = new ChatHarness(replyToInvoker: false).WithStandardHands();
        var reply = await h.Command(ChatHarness.Operator, "/run oracle");
        Assert.Null(Assert.Single(h.Engine.Triggers).Request.ReplyTo);
        Assert.DoesNotContain("posted here", reply.Markdown, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("/run sleeper", "**sleeper** is paused. /resume sleeper first.")]
    [InlineData("/run off", "**off** is disabled (enabled = false in its HAND.toml).")]
    [InlineData("/run broken", "**broken** cannot run: its HAND.toml has errors. /status broken shows them.")]
    [InlineData("/run orcale", "No hand named `orcale`. Did you mean `oracle`?")]
    [InlineData("/run ora", "No hand named `ora`. Did you mean `oracle`?")]
    [InlineData("/run zzzzzz", "No hand named `zzzzzz`. /hands lists them all.")]
    [InlineData("/run", "Missing argument. Usage: `/run <hand>`")]
    [InlineData("/run oracle now", "Too many arguments (2). Usage: `/run <hand>`")]
    public async Task Run_RefusesWithReason_WhenHandCannotRun(string text, string expected)
    {
        var h = new ChatHarness().WithStandardHands();
        var reply = await h.Command(ChatHarness.Operator, text);
        Assert.Equal(expected, reply.Markdown);
        Assert.True(reply.IsRefusal);
        Assert.True(reply.Private);
        Assert.Empty(h.Engine.Triggers);
    }

    [Fact]
    public async Task Pause_PausesHand_AndConfirms()
    {
        var h = new ChatHarness().WithStandardHands();
        var reply = await h.Command(ChatHarness.Operator, "/pause Oracle");
        Assert.Equal("⏸ **oracle** is now paused; scheduled runs are skipped until /resume oracle.", reply.Markdown);
        Assert.True((await h.Engine.GetHandAsync("oracle"))!.Paused);

        var again = await h.Command(ChatHarness.Operator, "/pause oracle");
        Assert.Equal("**oracle** is already paused. /resume oracle to resume it.", again.Markdown);
        Assert.True(again.IsRefusal);
    }

    [Fact]
    public async Task Resume_ResumesHand_AndShowsNextRun()
    {
        var h = new ChatHarness().WithStandardHands();
        var reply = await h.Command(ChatHarness.Operator, "/resume sleeper");
        // Hourly: next at 13:00 UTC.
        Assert.Equal("▶ **sleeper** is now active again. Next run in 1 h (Mon 23 Nov 13:00 UTC).", reply.Markdown);
        Assert.False((await h.Engine.GetHandAsync("sleeper"))!.Paused);
    }

    [Fact]
    public async Task Resume_ShowsZoneAndUtc_ForZonedSchedule()
    {
        var h = new ChatHarness();
        h.Engine.AddHand("oracle", ChatHarness.Daily7Berlin, paused: true);
        var reply = await h.Command(ChatHarness.Operator, "/resume oracle");
        Assert.Contains("Next run in 18 h (Tue 24 Nov 07:00 Europe/Berlin (Tue 24 Nov 06:00 UTC))", reply.Markdown, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("/pause nope")]
    [InlineData("/resume nope")]
    public async Task PauseResume_RefuseUnknownHand(string text)
    {
        var reply = await new ChatHarness().WithStandardHands().Command(ChatHarness.Operator, text);
        Assert.True(reply.IsRefusal);
        Assert.StartsWith("No hand named `nope`", reply.Markdown, StringComparison.Ordinal);
    }

    [Fact]
    public async Task RunButton_StartsRun_AndRefreshesListing()
    {
        var h = new ChatHarness().WithStandardHands();
        var tap = await h.Tap(ChatHarness.Operator, "hb1:run:oracle");
        Assert.False(tap.IsRefusal);
        Assert.StartsWith("▶ oracle started, run ", tap.Toast, StringComparison.Ordinal);
        Assert.Single(h.Engine.Triggers);
        Assert.Contains("**oracle** — running", tap.UpdatedMessage!.Markdown, StringComparison.Ordinal);
    }

    [Fact]
    public async Task PauseButton_ShowsResumeButtonAfterwards()
    {
        var h = new ChatHarness().WithStandardHands();
        var tap = await h.Tap(ChatHarness.Operator, "hb1:pause:oracle");
        Assert.Contains(tap.UpdatedMessage!.Buttons.SelectMany(r => r), b => b.Id == "hb1:resume:oracle");
    }

    [Theory]
    [InlineData("hb1:run:oracle")]
    [InlineData("hb1:pause:oracle")]
    [InlineData("hb1:resume:sleeper")]
    public async Task ControlButtons_ChangeNothing_WhenRefused(string id)
    {
        var h = new ChatHarness().WithStandardHands();
        var tap = await h.Tap(ChatHarness.Viewer, id);
        Assert.True(tap.IsRefusal);
        Assert.Equal("Not allowed", tap.Toast);
        Assert.Null(tap.UpdatedMessage);
        Assert.True(tap.PrivateReply!.IsRefusal);
        Assert.Empty(h.Engine.Triggers);
        Assert.False((await h.Engine.GetHandAsync("oracle"))!.Paused);
        Assert.True((await h.Engine.GetHandAsync("sleeper"))!.Paused);
        Assert.False(Assert.Single(h.Audit.Entries).Allowed);
    }

    [Fact]
    public async Task RunButton_ExplainsRefusal_ForPausedHand()
    {
        var h = new ChatHarness().WithStandardHands();
        var tap = await h.Tap(ChatHarness.Operator, "hb1:run:sleeper");
        Assert.True(tap.IsRefusal);
        Assert.Equal("sleeper is paused. /resume sleeper first.", tap.Toast);
        Assert.Null(tap.UpdatedMessage);
    }
}
