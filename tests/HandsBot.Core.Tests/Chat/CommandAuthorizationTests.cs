using HandsBot.Core.Chat;
using HandsBot.Core.Access;

namespace HandsBot.Core.Tests.Chat;

public sealed class CommandAuthorizationTests
{
    // Every role × command, in the configured group. "ref" is a pending approval's reference, "run" an execution id.
    [Theory]
    [InlineData("admin", "/hands", true)]
    [InlineData("operator", "/hands", true)]
    [InlineData("viewer", "/hands", true)]
    [InlineData("stranger", "/hands", true)] // anyone in a configured place may look
    [InlineData("admin", "/run oracle", true)]
    [InlineData("operator", "/run oracle", true)]
    [InlineData("viewer", "/run oracle", false)]
    [InlineData("stranger", "/run oracle", false)]
    [InlineData("admin", "/pause oracle", true)]
    [InlineData("operator", "/pause oracle", true)]
    [InlineData("viewer", "/pause oracle", false)]
    [InlineData("stranger", "/pause oracle", false)]
    [InlineData("operator", "/resume sleeper", true)]
    [InlineData("viewer", "/resume sleeper", false)]
    [InlineData("stranger", "/resume sleeper", false)]
    [InlineData("viewer", "/status oracle", true)]
    [InlineData("stranger", "/status oracle", true)]
    [InlineData("viewer", "/history oracle", true)]
    [InlineData("viewer", "/output 4f2a9c1d", true)]
    [InlineData("viewer", "/approvals", true)]
    [InlineData("admin", "/approve k3J9", true)]
    [InlineData("operator", "/approve k3J9", true)]
    [InlineData("viewer", "/approve k3J9", false)]
    [InlineData("stranger", "/approve k3J9", false)]
    [InlineData("operator", "/reject k3J9", true)]
    [InlineData("viewer", "/reject k3J9", false)]
    [InlineData("stranger", "/help", true)]
    public async Task HandleCommand_AllowsOrRefuses_ByRole(string who, string text, bool allowed)
    {
        var h = new ChatHarness().WithStandardHands();
        h.Engine.AddExecution("oracle", "4f2a9c1d00", Model.ExecutionOutcome.Success, "all good");
        var approval = h.Engine.AddApproval("k3J9xQ");

        var reply = await h.Command(ChatHarness.UserFor(who), text);

        Assert.Equal(!allowed, reply.IsRefusal);
        if (!allowed)
        {
            Assert.True(reply.Private);
            Assert.StartsWith("Not allowed", reply.Markdown, StringComparison.Ordinal);
            // Nothing happened.
            Assert.Empty(h.Engine.Triggers);
            Assert.False((await h.Engine.GetHandAsync("oracle"))!.Paused);
            Assert.True((await h.Engine.GetHandAsync("sleeper"))!.Paused);
            Assert.True(h.Engine.Approvals.Single(a => a.Id == approval.Id).IsPending);
        }

        var entry = Assert.Single(h.Audit.Entries);
        Assert.Equal(ChatHarness.UserFor(who).Identity, entry.Identity);
        Assert.Equal(text, entry.Action);
        Assert.Equal("telegram:-100500", entry.Where);
        Assert.Equal(allowed, entry.Allowed);
        Assert.Equal(ChatHarness.Start, entry.At);
        Assert.Equal(allowed, entry.Detail is null);
    }

    [Theory]
    [InlineData("/hands")]
    [InlineData("/status oracle")]
    [InlineData("/history oracle")]
    [InlineData("/approvals")]
    public async Task HandleCommand_RefusesViewing_InUnconfiguredGroup(string text)
    {
        var h = new ChatHarness().WithStandardHands();
        var reply = await h.Command(ChatHarness.Viewer, text, ChatHarness.OtherGroup);
        Assert.True(reply.IsRefusal);
        Assert.Contains("not a configured HandsBot chat", reply.Markdown, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("viewer", true)]
    [InlineData("stranger", false)]
    public async Task HandleCommand_AllowsViewingInPrivateChat_OnlyForConfiguredUsers(string who, bool allowed)
    {
        var h = new ChatHarness().WithStandardHands();
        var user = ChatHarness.UserFor(who);
        var reply = await h.Command(user, "/hands", new ChatPlace("telegram", user.UserId, null, true));
        Assert.Equal(!allowed, reply.IsRefusal);
    }

    [Fact]
    public async Task HandleCommand_ExplainsHowToConfigure_WhenNothingIsConfigured()
    {
        var h = new ChatHarness(nothingConfigured: true).WithStandardHands();
        var user = new ChatUser("telegram", "42", "Newcomer");

        var run = await h.Command(user, "/run oracle");
        var list = await h.Command(user, "/hands");

        Assert.Equal("Not allowed: no operators are configured. Add \"telegram:42\" to [access] operators in config/handsbot.toml.", run.Markdown);
        Assert.True(run.IsRefusal);
        Assert.False(list.IsRefusal); // the default chat is still a configured place
        Assert.Empty(h.Engine.Triggers);
    }

    [Fact]
    public async Task HandleCommand_AllowsEverything_ForConsoleUser()
    {
        var h = new ChatHarness().WithStandardHands();
        var console = new ChatPlace("console", "local", null, true);
        Assert.False((await h.Command(ChatHarness.Console, "/run oracle", console)).IsRefusal);
        Assert.False((await h.Command(ChatHarness.Console, "/pause oracle", console)).IsRefusal);
    }

    [Fact]
    public async Task HandleCommand_AuditsUnknownCommands_AsRefused()
    {
        var h = new ChatHarness();
        var reply = await h.Command(ChatHarness.Admin, "/frobnicate now");
        Assert.True(reply.IsRefusal);
        Assert.Contains("/help", reply.Markdown, StringComparison.Ordinal);
        var entry = Assert.Single(h.Audit.Entries);
        Assert.False(entry.Allowed);
        Assert.Equal("/frobnicate now", entry.Action);
    }

    [Theory]
    [InlineData("viewer", "hb1:page:2", true)]
    [InlineData("stranger", "hb1:page:2", true)]
    [InlineData("viewer", "hb1:out:4f2a9c1d", true)]
    [InlineData("operator", "hb1:run:oracle", true)]
    [InlineData("viewer", "hb1:run:oracle", false)]
    [InlineData("operator", "hb1:a:k3J9xQ", true)]
    [InlineData("stranger", "hb1:r:k3J9xQ", false)]
    public async Task HandleButton_AuditsEveryTap(string who, string id, bool allowed)
    {
        var h = new ChatHarness().WithStandardHands();
        h.Engine.AddExecution("oracle", "4f2a9c1d00", Model.ExecutionOutcome.Success, "all good");
        h.Engine.AddApproval("k3J9xQ");

        var tap = await h.Tap(ChatHarness.UserFor(who), id);

        Assert.Equal(!allowed, tap.IsRefusal);
        var entry = Assert.Single(h.Audit.Entries);
        Assert.Equal((ChatHarness.UserFor(who).Identity, "button " + id, "telegram:-100500", allowed),
                     (entry.Identity, entry.Action, entry.Where, entry.Allowed));
    }

    [Fact]
    public async Task HandleButton_RefusesPageTap_InUnconfiguredGroup_ForStranger()
    {
        var h = new ChatHarness().WithStandardHands();
        var tap = await h.Tap(ChatHarness.Stranger, "hb1:page:1", ChatHarness.OtherGroup);
        Assert.True(tap.IsRefusal);
        Assert.Null(tap.UpdatedMessage);
    }
}
