using HandsBot.Core.Model;
using HandsBot.Core.Storage;
using HandsBot.Storage.Tests.Fixtures;

namespace HandsBot.Storage.Tests.Contracts;

/// <summary>Approvals: found and listed; decided by a conditional update that writes what the decision releases.</summary>
public abstract class ApprovalStoreContract(IStoreFixture fixture) : StoreContract(fixture)
{
    private static readonly DateTimeOffset DecidedAt = Rows.T0.AddMinutes(3);

    private static ApprovalDecision Decision(string approvalId, ApprovalStatus status = ApprovalStatus.Approved, string by = "telegram:42") => new()
    {
        ApprovalId = approvalId,
        Status = status,
        DecidedBy = by,
        At = DecidedAt,
        DecidedPayloads = new Dictionary<string, string>
        {
            ["telegram"] = $$"""{"text":"{{status}} by {{by}} (telegram)"}""",
            ["discord"] = $$"""{"text":"{{status}} by {{by}} (discord)"}""",
        },
    };

    [Fact]
    public async Task Approvals_RoundTripEveryField()
    {
        var approval = Rows.Approval("a1", "r1", reference: "Ref-1");

        await WaitForApprovalAsync("r1", [approval]);

        Assert.Equal(approval, await Store.GetApprovalAsync("a1"));
        Assert.Equal(approval, await Store.GetApprovalByReferenceAsync("Ref-1"));
        Assert.Null(await Store.GetApprovalAsync("ghost"));
        Assert.Null(await Store.GetApprovalByReferenceAsync("ghost"));
    }

    [Fact]
    public async Task Approvals_RoundTripDefaultsAndNulls()
    {
        var approval = new ApprovalRecord { Id = "a1", Reference = "R", Hand = Rows.Hand, ExecutionId = "r1", Gate = "g", Action = "act", CreatedAt = Rows.T0 };

        await WaitForApprovalAsync("r1", [approval]);

        Assert.Equal(approval, await Store.GetApprovalAsync("a1"));
    }

    [Theory]
    [InlineData("k7", new[] { "id-1" })]
    [InlineData("K7", new[] { "id-1" })]
    [InlineData("k7q", new[] { "id-1" })]
    [InlineData("x", new[] { "id-2" })]
    [InlineData("%", new[] { "id-3" })]
    [InlineData("id-", new string[0])]
    [InlineData("_", new string[0])]
    [InlineData("k_", new string[0])]
    [InlineData(@"\", new string[0])]
    [InlineData("q", new string[0])]
    public async Task FindApprovalsByPrefix_MatchesTheReferencePrefix_CaseInsensitivelyAndLiterally(string prefix, string[] expected)
    {
        await WaitForApprovalAsync("r1",
        [
            Rows.Approval("id-1", "r1", reference: "K7QX"),
            Rows.Approval("id-2", "r1", reference: "xk7"),
            Rows.Approval("id-3", "r1", reference: "%PCT"),
        ]);

        var found = await Store.FindApprovalsByPrefixAsync(prefix, 10);

        Assert.Equal(expected, found.Select(a => a.Id).Order(StringComparer.Ordinal));
    }

    [Fact]
    public async Task FindApprovalsByPrefix_ReturnsNewestFirst_UpToTheLimit()
    {
        await WaitForApprovalAsync("r1", [.. Enumerable.Range(0, 4).Select(i => Rows.Approval($"a{i}", "r1", reference: $"R{i}", createdAt: Rows.T0.AddMinutes(i)))]);

        var found = await Store.FindApprovalsByPrefixAsync("r", 2);

        Assert.Equal(["a3", "a2"], found.Select(a => a.Id));
    }

    [Fact]
    public async Task ListPendingApprovals_ReturnsOnlyPendingOnes_OldestFirst()
    {
        await WaitForApprovalAsync("r1",
        [
            Rows.Approval("late", "r1", createdAt: Rows.T0.AddMinutes(5)),
            Rows.Approval("early", "r1", createdAt: Rows.T0),
            Rows.Approval("decided", "r1", createdAt: Rows.T0.AddMinutes(1)),
        ]);
        Assert.True(await Store.DecideApprovalAsync(Decision("decided", ApprovalStatus.Rejected)));

        var pending = await Store.ListPendingApprovalsAsync();

        Assert.Equal(["early", "late"], pending.Select(a => a.Id));
    }

    [Fact]
    public async Task ListDecidedApprovals_ReturnsNewestDecisionFirst_UpToTheLimit()
    {
        await WaitForApprovalAsync("r1", [.. Enumerable.Range(0, 4).Select(i => Rows.Approval($"a{i}", "r1"))]);
        foreach (var (id, minutes) in new[] { ("a2", 1), ("a0", 2), ("a1", 3) })
        {
            Assert.True(await Store.DecideApprovalAsync(Decision(id) with { At = Rows.T0.AddMinutes(minutes) }));
        }

        var decided = await Store.ListDecidedApprovalsAsync(2);

        Assert.Equal(["a1", "a0"], decided.Select(a => a.Id));
    }

    [Fact]
    public async Task ListApprovalsForExecution_ReturnsOnlyThatRunsApprovals()
    {
        await WaitForApprovalAsync("r1", [Rows.Approval("a1", "r1"), Rows.Approval("a3", "r1", createdAt: Rows.T0.AddSeconds(1))]);
        await WaitForApprovalAsync("r2", [Rows.Approval("a2", "r2")]);

        Assert.Equal(["a1", "a3"], (await Store.ListApprovalsForExecutionAsync("r1")).Select(a => a.Id));
        Assert.Empty(await Store.ListApprovalsForExecutionAsync("ghost"));
    }

    [Theory]
    [InlineData(ApprovalStatus.Approved, null)]
    [InlineData(ApprovalStatus.Rejected, null)]
    [InlineData(ApprovalStatus.AutoApproved, "auto_approve_after elapsed")]
    [InlineData(ApprovalStatus.Expired, "the hand was removed")]
    public async Task DecideApproval_RecordsTheDecision(ApprovalStatus status, string? reason)
    {
        await WaitForApprovalAsync("r1", [Rows.Approval("a1", "r1")]);

        Assert.True(await Store.DecideApprovalAsync(Decision("a1", status, "discord:9") with { Reason = reason }));

        var decided = (await Store.GetApprovalAsync("a1"))!;
        Assert.Equal(status, decided.Status);
        Assert.Equal("discord:9", decided.ResolvedBy);
        Assert.Equal(DecidedAt, decided.ResolvedAt);
        Assert.Equal(reason, decided.Reason);
        Assert.False(decided.IsPending);
    }

    [Fact]
    public async Task DecideApproval_ThrowsArgument_WhenStatusIsPending()
    {
        await WaitForApprovalAsync("r1", [Rows.Approval("a1", "r1")]);

        await Assert.ThrowsAsync<ArgumentException>(() => Store.DecideApprovalAsync(Decision("a1", ApprovalStatus.Pending)));

        Assert.True((await Store.GetApprovalAsync("a1"))!.IsPending);
    }

    [Fact]
    public async Task DecideApproval_ThrowsKeyNotFound_WhenIdIsUnknown()
    {
        await Assert.ThrowsAsync<KeyNotFoundException>(() => Store.DecideApprovalAsync(Decision("ghost")));
    }

    [Fact]
    public async Task DecideApproval_KeepsTheFirstDecisionAndWritesNothing_WhenAlreadyDecided()
    {
        await WaitForApprovalAsync("r1", [Rows.Approval("a1", "r1")], "telegram:100");
        Assert.True(await Store.DecideApprovalAsync(Decision("a1", ApprovalStatus.Approved, "telegram:1")));
        var first = await Store.GetApprovalAsync("a1");
        var outbox = await CountAsync("outbox");
        var runs = await CountAsync("executions");

        var second = await Store.DecideApprovalAsync(Decision("a1", ApprovalStatus.Rejected, "telegram:2") with
        {
            At = DecidedAt.AddSeconds(1),
            Outbox = [Rows.Message("held-broadcast", executionId: "r1")],
            Runs = [new RunAdmission(Rows.Run("action", trigger: RunTrigger.Approval) with { ApprovalId = "a1", ParentId = "r1" }, null)],
            Files = ["late.txt"],
        });

        Assert.False(second);
        Assert.Equal(first, await Store.GetApprovalAsync("a1"));
        Assert.Equal(outbox, await CountAsync("outbox"));
        Assert.Equal(runs, await CountAsync("executions"));
        Assert.Empty((await Store.GetExecutionAsync("r1"))!.Files);
    }

    [Fact]
    public async Task DecideApproval_LetsExactlyOneDecisionWin_WhenManyRace()
    {
        await WaitForApprovalAsync("r1", [Rows.Approval("a1", "r1")], "telegram:100", "discord:200");
        var peer = await Fixture.OpenPeerAsync();

        var results = await RaceAsync(20, i => (i % 2 == 0 ? Store : peer).DecideApprovalAsync(
            Decision("a1", i % 3 == 0 ? ApprovalStatus.Rejected : ApprovalStatus.Approved, $"user:{i}") with
            {
                Outbox = [Rows.Message($"broadcast-{i}", chat: "300", executionId: "r1")],
                Runs = [new RunAdmission(Rows.Run($"action-{i}", trigger: RunTrigger.Approval) with { ApprovalId = "a1", ParentId = "r1" }, null)],
            }));

        var winner = Assert.Single(Enumerable.Range(0, 20), i => results[i]);
        var decided = (await Store.GetApprovalAsync("a1"))!;
        Assert.Equal($"user:{winner}", decided.ResolvedBy);
        Assert.Equal([$"broadcast-{winner}"], (await Store.ListOutboxForExecutionAsync("r1")).Where(i => i.ChatId == "300").Select(i => i.IdempotencyKey));
        Assert.NotNull(await Store.GetExecutionAsync($"action-{winner}"));
        Assert.Equal(1, await CountAsync("executions", "approval_id = 'a1'"));
        Assert.Equal(2, (await Store.ListApprovalMessagesAsync("a1")).Count);
        Assert.Equal(2, await CountAsync("outbox", "kind = 'edit'"));
        Assert.Equal(0, await CountAsync("outbox", $"kind = 'edit' AND payload NOT LIKE '%by user:{winner} (%'"));
    }

    [Fact]
    public async Task DecideApproval_QueuesAnEditOfEveryRequestMessage_WithItsPlatformsPayload()
    {
        await WaitForApprovalAsync("r1", [Rows.Approval("a1", "r1"), Rows.Approval("a2", "r1")], "telegram:100", "telegram:101", "discord:200", "console:local");
        var decision = Decision("a1");

        Assert.True(await Store.DecideApprovalAsync(decision));

        var messages = await Store.ListApprovalMessagesAsync("a1");
        Assert.Equal(4, messages.Count);
        Time.SetUtcNow(DecidedAt);
        var edits = await Store.ClaimDueAsync(new OutboxClaim("sender", Now, Now + Lease, 100, ["telegram", "discord", "console"]));
        // No edit for the console: the decision carried no payload for it. None for a2: it is still pending.
        Assert.Equal(3, edits.Count);
        foreach (var message in messages.Where(m => m.Platform != "console"))
        {
            var edit = Assert.Single(edits, e => e.Platform == message.Platform && e.ChatId == message.ChatId);
            Assert.Equal(OutboxKind.Edit, edit.Kind);
            Assert.Equal(message.MessageId, edit.EditMessageId);
            Assert.Equal(message.ThreadId, edit.ThreadId);
            Assert.Equal(decision.DecidedPayloads[message.Platform], edit.PayloadJson);
            Assert.Equal("a1", edit.ApprovalId);
            Assert.False(edit.IsApprovalRequest);
        }
    }

    [Fact]
    public async Task DecideApproval_WritesTheMessagesRunsAndFilesItReleases()
    {
        await WaitForApprovalAsync("r1", [Rows.Approval("a1", "r1")]);
        await Store.FinishAsync(FinishOf(await StartAsync("r2", hand: "busy")));

        Assert.True(await Store.DecideApprovalAsync(Decision("a1") with
        {
            Outbox = [Rows.Message("held-1", executionId: "r1"), Rows.Message("held-2", chat: "200", executionId: "r1")],
            Runs = [new RunAdmission(Rows.Run("action", trigger: RunTrigger.Approval, requestedAt: DecidedAt) with { ApprovalId = "a1", ParentId = "r1" }, null)],
            Files = ["out/report.md", "out/chart.png"],
        }));

        Assert.Equal(["held-1", "held-2"], (await Store.ListOutboxForExecutionAsync("r1")).Select(i => i.IdempotencyKey));
        var action = (await Store.GetExecutionAsync("action"))!;
        Assert.Equal(RunState.Ready, action.RunState);
        Assert.Equal("a1", action.ApprovalId);
        Assert.Equal("r1", action.ParentId);
        Assert.Equal(["out/report.md", "out/chart.png"], (await Store.GetExecutionAsync("r1"))!.Files);
    }

    [Fact]
    public async Task DecideApproval_SettlesTheRunAndTheHandsLastOutcome_WhenItsLastApprovalIsDecided()
    {
        await Store.UpsertHandAsync(Rows.HandEntry());
        await WaitForApprovalAsync("r1", [Rows.Approval("a1", "r1"), Rows.Approval("a2", "r1")]);
        Assert.Equal(ExecutionOutcome.ApprovalPending, (await Store.GetHandAsync(Rows.Hand))!.LastOutcome);

        Assert.True(await Store.DecideApprovalAsync(Decision("a1", ApprovalStatus.Approved)));
        var afterFirst = (await Store.GetExecutionAsync("r1"))!.Outcome;
        var handAfterFirst = (await Store.GetHandAsync(Rows.Hand))!.LastOutcome;
        Assert.True(await Store.DecideApprovalAsync(Decision("a2", ApprovalStatus.Rejected)));

        Assert.Equal(ExecutionOutcome.ApprovalPending, afterFirst);
        Assert.Equal(ExecutionOutcome.ApprovalPending, handAfterFirst);
        Assert.Equal(ExecutionOutcome.Success, (await Store.GetExecutionAsync("r1"))!.Outcome);
        var hand = (await Store.GetHandAsync(Rows.Hand))!;
        Assert.Equal(ExecutionOutcome.Success, hand.LastOutcome);
        Assert.Equal(new HandCounters(1, 1, 0), hand.Counters);
    }

    [Fact]
    public async Task DecideApproval_LeavesTheHandsLastOutcome_WhenALaterRunEndedSince()
    {
        await Store.UpsertHandAsync(Rows.HandEntry());
        await WaitForApprovalAsync("r1", [Rows.Approval("a1", "r1")]);
        Time.Advance(TimeSpan.FromMinutes(1));
        var later = await StartAsync("r2");
        await Store.FinishAsync(FinishOf(later, ExecutionOutcome.Failure) with { CountedError = "exit 1" });

        Assert.True(await Store.DecideApprovalAsync(Decision("a1")));

        Assert.Equal(ExecutionOutcome.Success, (await Store.GetExecutionAsync("r1"))!.Outcome);
        Assert.Equal(ExecutionOutcome.Failure, (await Store.GetHandAsync(Rows.Hand))!.LastOutcome);
    }

    [Fact]
    public async Task ListApprovalMessages_ReturnsTheDeliveredRequestsInOrder()
    {
        await WaitForApprovalAsync("r1", [Rows.Approval("a1", "r1"), Rows.Approval("a2", "r1")], "telegram:100", "discord:200");

        var messages = await Store.ListApprovalMessagesAsync("a1");

        Assert.Equal([new ApprovalMessage("a1", "telegram", "100", null, "m-telegram-100-a1"), new ApprovalMessage("a1", "discord", "200", null, "m-discord-200-a1")], messages);
        Assert.Empty(await Store.ListApprovalMessagesAsync("ghost"));
    }
}
