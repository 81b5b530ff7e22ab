using HandsBot.Core.Model;

namespace HandsBot.Core.Tests.Chat;

public sealed class StatusHistoryTests
{
    [Fact]
    public async Task Status_ShowsScheduleNextThreeRunsOutcomesCountersAndApprovals()
    {
        var h = new ChatHarness().WithStandardHands();
        h.Engine.Update("oracle", v => v with { Counters = new HandCounters(12, 10, 2), RouteProblems = ["telegram:-100123: bot was removed from the chat"] });
        h.Engine.AddExecution("oracle", "aaaa1111", ExecutionOutcome.Success, "Sunny all day");
        h.Engine.AddExecution("oracle", "bbbb2222", ExecutionOutcome.Failure, error: "exit code 3\nstack...");
        h.Engine.AddExecution("oracle", "cccc3333", ExecutionOutcome.Success, "x");
        h.Engine.AddExecution("oracle", "dddd4444", ExecutionOutcome.Success, "oldest");
        h.Engine.AddApproval("k3J9xQ");

        var md = (await h.Command(ChatHarness.Viewer, "/status oracle")).Markdown;

        Assert.StartsWith("**oracle** — idle\nMorning briefing\n**Schedule:** ", md, StringComparison.Ordinal);
        Assert.Contains("• Tue 24 Nov 07:00 Europe/Berlin (Tue 24 Nov 06:00 UTC)", md, StringComparison.Ordinal);
        Assert.Contains("• Wed 25 Nov 07:00 Europe/Berlin (Wed 25 Nov 06:00 UTC)", md, StringComparison.Ordinal);
        Assert.Contains("• Thu 26 Nov 07:00 Europe/Berlin (Thu 26 Nov 06:00 UTC)", md, StringComparison.Ordinal);
        Assert.Contains("`aaaa1111` Mon 23 Nov 11:00 UTC · schedule · success · 12 s — Sunny all day", md, StringComparison.Ordinal);
        Assert.Contains("`bbbb2222` Mon 23 Nov 10:00 UTC · schedule · failed · 12 s — exit code 3", md, StringComparison.Ordinal);
        Assert.DoesNotContain("dddd4444", md, StringComparison.Ordinal);
        Assert.Contains("**Counters:** 12 runs · 10 succeeded · 2 failed", md, StringComparison.Ordinal);
        Assert.Contains("**Waiting for approval:** 1\n• `k3J9xQ` send", md, StringComparison.Ordinal);
        Assert.Contains("**Delivery problems:**\n• telegram:-100123: bot was removed from the chat", md, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Status_ShowsManifestProblems_ForInvalidHand()
    {
        var md = (await new ChatHarness().WithStandardHands().Command(ChatHarness.Viewer, "/status BROKEN")).Markdown;
        Assert.Contains("**broken** — invalid", md, StringComparison.Ordinal);
        Assert.Contains("**Schedule:** none: the hand is invalid (problems below)", md, StringComparison.Ordinal);
        Assert.DoesNotContain("manual only", md, StringComparison.Ordinal);
        Assert.Contains("**Manifest problems:**\n• `hands/broken/HAND.toml(3,12): schedule: cron expression has 4 fields`", md, StringComparison.Ordinal);
        Assert.Contains("**Last runs:** none yet", md, StringComparison.Ordinal);
    }

    [Fact]
    public async Task History_ListsNewestFirst_DefaultTen_WithOutputButtons()
    {
        var h = new ChatHarness().WithStandardHands();
        for (var i = 0; i < 15; i++) h.Engine.AddExecution("oracle", $"run{i:00}aaaaaa", ExecutionOutcome.Success, $"output {i}");

        var reply = await h.Command(ChatHarness.Viewer, "/history oracle");
        var lines = reply.Markdown.Split('\n');

        Assert.Equal("**oracle** · last 10 runs", lines[0]);
        Assert.Equal(10, lines.Count(l => l.StartsWith("• ", StringComparison.Ordinal)));
        Assert.StartsWith("• `run00aaa`", lines[1], StringComparison.Ordinal);
        Assert.Contains("/output", lines[^1], StringComparison.Ordinal);
        var buttons = reply.Buttons.SelectMany(r => r).ToList();
        Assert.Equal(10, buttons.Count);
        Assert.Equal("hb1:out:run00aaa", buttons[0].Id);
        Assert.All(reply.Buttons, r => Assert.True(r.Count <= 5));
    }

    [Theory]
    [InlineData("/history oracle 3", 3)]
    [InlineData("/history oracle 50", 15)]
    public async Task History_HonoursCount(string text, int expected)
    {
        var h = new ChatHarness().WithStandardHands();
        for (var i = 0; i < 15; i++) h.Engine.AddExecution("oracle", $"run{i:00}aaaaaa", ExecutionOutcome.Success, "x");
        var reply = await h.Command(ChatHarness.Viewer, text);
        Assert.Equal(expected, reply.Markdown.Split('\n').Count(l => l.StartsWith("• ", StringComparison.Ordinal)));
    }

    [Theory]
    [InlineData("/history oracle 0", "The number of runs must be a whole number from 1 to 50; got `0`.")]
    [InlineData("/history oracle 51", "The number of runs must be a whole number from 1 to 50; got `51`.")]
    [InlineData("/history oracle ten", "The number of runs must be a whole number from 1 to 50; got `ten`.")]
    [InlineData("/history oracle -3", "The number of runs must be a whole number from 1 to 50; got `-3`.")]
    [InlineData("/history oracle 3 4", "Too many arguments (3). Usage: `/history <hand> [n]`")]
    [InlineData("/history", "Missing argument. Usage: `/history <hand> [n]`")]
    public async Task History_ExplainsBadArguments_InOneLine(string text, string expected)
    {
        var reply = await new ChatHarness().WithStandardHands().Command(ChatHarness.Viewer, text);
        Assert.Equal(expected, reply.Markdown);
        Assert.True(reply.IsRefusal);
    }

    [Fact]
    public async Task History_SaysWhenHandNeverRan()
    {
        var reply = await new ChatHarness().WithStandardHands().Command(ChatHarness.Viewer, "/history oracle");
        Assert.Equal("**oracle** has not run yet. /run oracle starts it.", reply.Markdown);
    }

    [Fact]
    public async Task Output_ShowsFullOutput_ByUniquePrefix()
    {
        var h = new ChatHarness().WithStandardHands();
        h.Engine.AddExecution("oracle", "4f2a9c1d55", ExecutionOutcome.Success, "# Weather\n\nLine two\nLine three");

        var reply = await h.Command(ChatHarness.Viewer, "/output 4f2a");

        Assert.StartsWith("**oracle** · run `4f2a9c1d` · Mon 23 Nov 11:00 UTC · schedule · success · 12 s", reply.Markdown, StringComparison.Ordinal);
        Assert.EndsWith("# Weather\n\nLine two\nLine three", reply.Markdown, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Output_ShowsErrorInCodeBlock()
    {
        var h = new ChatHarness().WithStandardHands();
        h.Engine.AddExecution("oracle", "4f2a9c1d55", ExecutionOutcome.Failure, error: "boom ```");
        var reply = await h.Command(ChatHarness.Viewer, "/output 4f2a9c1d55");
        Assert.EndsWith("**Error:**\n````\nboom ```\n````", reply.Markdown, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Output_RefusesUnknownOrAmbiguousPrefix()
    {
        var h = new ChatHarness().WithStandardHands();
        h.Engine.AddExecution("oracle", "4f2a0000", ExecutionOutcome.Success, "a");
        h.Engine.AddExecution("oracle", "4f2b0000", ExecutionOutcome.Success, "b");
        var reply = await h.Command(ChatHarness.Viewer, "/output 4f2");
        Assert.True(reply.IsRefusal);
        Assert.StartsWith("No single run matches `4f2`.", reply.Markdown, StringComparison.Ordinal);
    }

    [Fact]
    public async Task OutputButton_SendsFullOutputPrivately()
    {
        var h = new ChatHarness().WithStandardHands();
        h.Engine.AddExecution("oracle", "4f2a9c1d55", ExecutionOutcome.Success, "the whole story");
        var tap = await h.Tap(ChatHarness.Viewer, "hb1:out:4f2a9c1d");
        Assert.False(tap.IsRefusal);
        Assert.Null(tap.UpdatedMessage);
        Assert.True(tap.PrivateReply!.Private);
        Assert.EndsWith("the whole story", tap.PrivateReply.Markdown, StringComparison.Ordinal);
    }
}
