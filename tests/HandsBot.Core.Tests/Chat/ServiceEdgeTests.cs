using HandsBot.Core.Chat;
using HandsBot.Core.Storage;
using Microsoft.Extensions.Logging;
using HandsBot.Core.Access;

namespace HandsBot.Core.Tests.Chat;

public sealed class ServiceEdgeTests
{
    [Theory]
    [InlineData("hb0:a:k3J9xQ", "Outdated button", "This button is from an older version of HandsBot; use /approvals or /hands.")]
    [InlineData("approve:42", "Unknown button", "HandsBot does not recognise this button; use /help.")]
    [InlineData("hb1:zap:oracle", "Unknown button", "HandsBot does not recognise this button; use /help.")]
    public async Task Button_AnswersSensibly_ForOldOrMalformedIds(string id, string toast, string explanation)
    {
        var h = new ChatHarness().WithStandardHands();
        var tap = await h.Tap(ChatHarness.Admin, id);
        Assert.Equal(toast, tap.Toast);
        Assert.Equal(explanation, tap.PrivateReply!.Markdown);
        Assert.True(tap.IsRefusal);
        Assert.Null(tap.UpdatedMessage);
        Assert.False(Assert.Single(h.Audit.Entries).Allowed);
    }

    [Fact]
    public async Task Command_AnswersPolitely_AndLogs_WhenEngineThrows()
    {
        var h = new ChatHarness().WithStandardHands();
        h.Engine.Failure = new InvalidOperationException("database is locked at /secret/path");

        var reply = await h.Command(ChatHarness.Operator, "/run oracle");

        Assert.Equal("Something went wrong while handling /run. It has been logged; please try again.", reply.Markdown);
        Assert.True(reply.IsRefusal);
        Assert.DoesNotContain("secret", reply.Markdown, StringComparison.Ordinal);
        var record = Assert.Single(h.Logger.Records, r => r.Level == LogLevel.Error);
        Assert.IsType<InvalidOperationException>(record.Exception);
        Assert.Equal("Chat command /run from telegram:2 failed", record.Message);
    }

    [Fact]
    public async Task Button_AnswersPolitely_WhenEngineThrows()
    {
        var h = new ChatHarness().WithStandardHands();
        h.Engine.Failure = new InvalidOperationException("boom");
        var tap = await h.Tap(ChatHarness.Operator, "hb1:run:oracle");
        Assert.True(tap.IsRefusal);
        Assert.Equal("Something went wrong", tap.Toast);
        Assert.Null(tap.UpdatedMessage);
    }

    [Fact]
    public async Task Command_DoesNothing_WhenAuditCannotBeWritten()
    {
        var h = new ChatHarness().WithStandardHands();
        var service = new ChatCommandService(h.Engine, Access.AccessPolicyTests.Policy(), new FailingAuditStore(), h.Time, h.Logger,
            Microsoft.Extensions.Options.Options.Create(new Configuration.OutputOptions()));

        var reply = await service.HandleCommandAsync(new ChatCommand(ChatHarness.Operator, ChatHarness.Group, "run", ["oracle"]));

        Assert.True(reply.IsRefusal);
        Assert.Empty(h.Engine.Triggers);
    }

    [Fact]
    public async Task Command_PropagatesCancellation()
    {
        var h = new ChatHarness().WithStandardHands();
        h.Engine.Failure = new OperationCanceledException();
        using var cts = new CancellationTokenSource();
        await cts.CancelAsync();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() =>
            h.Service.HandleCommandAsync(new ChatCommand(ChatHarness.Viewer, ChatHarness.Group, "hands", []), cts.Token));
    }

    [Theory]
    [InlineData("/RUN")]
    [InlineData("run")]
    [InlineData("/run@HandsBot")]
    public async Task Command_NormalisesName(string name)
    {
        var h = new ChatHarness().WithStandardHands();
        var reply = await h.Service.HandleCommandAsync(new ChatCommand(ChatHarness.Operator, ChatHarness.Group, name, ["oracle"]));
        Assert.False(reply.IsRefusal);
        Assert.Single(h.Engine.Triggers);
    }

    [Theory]
    [InlineData("/approvals now", "`/approvals` takes no arguments. Usage: `/approvals`")]
    [InlineData("/help me", "`/help` takes no arguments. Usage: `/help`")]
    public async Task Command_ExplainsExtraArguments(string text, string expected)
    {
        var reply = await new ChatHarness().Command(ChatHarness.Viewer, text);
        Assert.Equal(expected, reply.Markdown);
        Assert.True(reply.IsRefusal);
    }

    // who, place private?, commands expected, commands not expected
    [Theory]
    [InlineData("admin", "/run", "")]
    [InlineData("operator", "/run,/approve,/hands", "")]
    [InlineData("viewer", "/hands,/status,/history,/approvals,/help", "/run,/pause,/approve")]
    [InlineData("stranger", "/hands,/help", "/run,/approve")]
    public async Task Help_ListsCommandsTheCallerMayUse(string who, string expected, string notExpected)
    {
        var reply = await new ChatHarness().Command(ChatHarness.UserFor(who), "/help");
        Assert.True(reply.Private);
        foreach (var c in expected.Split(',', StringSplitOptions.RemoveEmptyEntries))
            Assert.Contains($"`{c}", reply.Markdown, StringComparison.Ordinal);
        foreach (var c in notExpected.Split(',', StringSplitOptions.RemoveEmptyEntries))
            Assert.DoesNotContain($"`{c} ", reply.Markdown, StringComparison.Ordinal);
        Assert.Contains($"You are `{ChatHarness.UserFor(who).Identity}`", reply.Markdown, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Help_ExplainsWhy_WhenOnlyHelpIsAllowed()
    {
        var h = new ChatHarness(nothingConfigured: true);
        var reply = await h.Command(new ChatUser("telegram", "42", "N"), "/help", new ChatPlace("telegram", "42", null, true));
        Assert.Contains("no viewers are configured. Add \"telegram:42\" to [access] viewers", reply.Markdown, StringComparison.Ordinal);
        Assert.DoesNotContain("`/hands", reply.Markdown, StringComparison.Ordinal);
    }

    [Fact]
    public void Commands_ListEveryCommand_WithUsage()
    {
        var service = new ChatHarness().Service;
        Assert.Equal(
            ["hands", "run", "pause", "resume", "status", "history", "output", "approvals", "approve", "reject", "help"],
            service.Commands.Select(c => c.Name));
        Assert.All(service.Commands, c => Assert.StartsWith("/" + c.Name, c.Usage, StringComparison.Ordinal));
        Assert.All(service.Commands, c => Assert.InRange(c.Description.Length, 1, 100)); // Discord's description limit
        Assert.Equal(["run", "pause", "resume", "status", "history"], service.Commands.Where(c => c.TakesHand).Select(c => c.Name));
    }

    private sealed class FailingAuditStore : IAuditStore
    {
        public Task AppendAuditAsync(AuditEntry entry, CancellationToken ct = default) => throw new IOException("disk full");
        public Task<IReadOnlyList<AuditEntry>> ListAuditAsync(int limit, CancellationToken ct = default) => throw new IOException("disk full");
    }
}
