using HandsBot.Core.Model;
using HandsBot.Core.Storage;
using HandsBot.Storage.Tests.Fixtures;

namespace HandsBot.Storage.Tests.Contracts;

/// <summary>How runs end: a finish with everything it releases, a lost run, a dropped queued run.</summary>
public abstract class RunFinishContract(IStoreFixture fixture) : StoreContract(fixture)
{
    [Fact]
    public async Task Finish_WritesTheOutcomeAndOutput()
    {
        var run = await StartAsync("r1");
        var end = run.StartedAt.AddSeconds(7);

        Assert.True(await Store.FinishAsync(FinishOf(run, ExecutionOutcome.Failure, end) with
        {
            Output = "partial ✓",
            OutputTruncated = true,
            Error = "exit 3",
            Stderr = "boom",
            Files = ["out/a.txt"],
            Prompt = "You are the oracle.",
            State = """{"messages":[1]}""",
        }));

        var stored = (await Store.GetExecutionAsync("r1"))!;
        Assert.Equal(RunState.Done, stored.RunState);
        Assert.Equal(ExecutionOutcome.Failure, stored.Outcome);
        Assert.Equal(end, stored.CompletedAt);
        Assert.Equal(TimeSpan.FromSeconds(7), stored.Duration);
        Assert.Equal("partial ✓", stored.Output);
        Assert.True(stored.OutputTruncated);
        Assert.Equal("exit 3", stored.Error);
        Assert.Equal("boom", stored.Stderr);
        Assert.Equal(["out/a.txt"], stored.Files);
        Assert.Equal("You are the oracle.", stored.Prompt);
        Assert.Equal("""{"messages":[1]}""", stored.State);
        Assert.False(stored.IsActive);
    }

    [Fact]
    public async Task Finish_KeepsTheSavedPromptAndState_WhenFinishCarriesNone()
    {
        var run = await StartAsync("r1");
        await Store.SaveExecutionStateAsync("r1", "saved prompt", "saved state");

        Assert.True(await Store.FinishAsync(FinishOf(run)));

        var stored = (await Store.GetExecutionAsync("r1"))!;
        Assert.Equal("saved prompt", stored.Prompt);
        Assert.Equal("saved state", stored.State);
    }

    /// <summary>The hand's counters follow <see cref="RunFinish.Counted"/>; its last outcome shows <see cref="RunFinish.Outcome"/>.</summary>
    [Theory]
    [InlineData(ExecutionOutcome.Success, ExecutionOutcome.Success, null, 1, 0, null)]
    [InlineData(ExecutionOutcome.Failure, ExecutionOutcome.Failure, "exit 1", 0, 1, "exit 1")]
    [InlineData(ExecutionOutcome.Timeout, ExecutionOutcome.Timeout, "timed out", 0, 1, "timed out")]
    [InlineData(ExecutionOutcome.Cancelled, ExecutionOutcome.Cancelled, "replaced", 0, 1, "replaced")]
    [InlineData(ExecutionOutcome.ApprovalPending, ExecutionOutcome.Success, null, 1, 0, null)]
    public async Task Finish_CountsTheRunOnItsHand(ExecutionOutcome outcome, ExecutionOutcome counted, string? error, long successes, long failures, string? lastError)
    {
        await Store.UpsertHandAsync(Rows.HandEntry());
        var run = await StartAsync("r1");
        var end = run.StartedAt.AddSeconds(5);

        Assert.True(await Store.FinishAsync(FinishOf(run, outcome, end) with { Counted = counted, CountedError = error, Error = error }));

        var hand = (await Store.GetHandAsync(Rows.Hand))!;
        Assert.Equal(new HandCounters(1, successes, failures), hand.Counters);
        Assert.Equal(lastError, hand.LastError);
        Assert.Equal(outcome, hand.LastOutcome);
        Assert.Equal(end, hand.LastRunAt);
    }

    [Fact]
    public async Task Finish_ClearsTheHandsLastError_WhenARunSucceedsAfterAFailure()
    {
        await Store.UpsertHandAsync(Rows.HandEntry());
        var failed = await StartAsync("r1");
        await Store.FinishAsync(FinishOf(failed, ExecutionOutcome.Failure) with { CountedError = "exit 1" });
        var succeeded = await StartAsync("r2");

        await Store.FinishAsync(FinishOf(succeeded));

        var hand = (await Store.GetHandAsync(Rows.Hand))!;
        Assert.Null(hand.LastError);
        Assert.Equal(new HandCounters(2, 1, 1), hand.Counters);
    }

    [Fact]
    public async Task Finish_WritesTheApprovalsMessagesAndTriggeredRuns()
    {
        await StartAsync("busy", hand: "skipper");
        var run = await StartAsync("r1");
        var approval = Rows.Approval("a1", "r1");

        Assert.True(await Store.FinishAsync(FinishOf(run, ExecutionOutcome.ApprovalPending) with
        {
            Counted = ExecutionOutcome.Success,
            Approvals = [approval],
            Outbox = [Rows.Message("r1:telegram:100:0", executionId: "r1"), Rows.Request("a1", "discord", "200", "r1")],
            Triggers =
            [
                new RunAdmission(Rows.Run("follow-up", hand: "sentinel") with { ParentId = "r1" }, OverlapPolicy.Skip),
                new RunAdmission(Rows.Run("skipped-follow-up", hand: "skipper") with { ParentId = "r1" }, OverlapPolicy.Skip),
            ],
        }));

        Assert.Equal(approval, Assert.Single(await Store.ListApprovalsForExecutionAsync("r1")));
        Assert.Equal([approval], await Store.ListPendingApprovalsAsync());
        Assert.Equal(["r1:telegram:100:0", "approval:a1:request:discord:200"], (await Store.ListOutboxForExecutionAsync("r1")).Select(i => i.IdempotencyKey));
        var followUp = (await Store.GetExecutionAsync("follow-up"))!;
        Assert.Equal(RunState.Ready, followUp.RunState);
        Assert.Equal("r1", followUp.ParentId);
        Assert.Equal(ExecutionOutcome.Skipped, (await Store.GetExecutionAsync("skipped-follow-up"))!.Outcome);
    }

    [Fact]
    public async Task Finish_PromotesTheHandsQueuedRun()
    {
        var run = await StartAsync("running");
        await AdmitAsync(Rows.Run("queued", requestedAt: Rows.T0.AddSeconds(1)), OverlapPolicy.Queue);
        await StartAsync("other-running", hand: "sentinel");
        await AdmitAsync(Rows.Run("other-queued", hand: "sentinel", requestedAt: Rows.T0.AddSeconds(1)), OverlapPolicy.Queue);
        Assert.Empty(await Store.ClaimAsync(Claim("w2")));

        Assert.True(await Store.FinishAsync(FinishOf(run)));

        Assert.Equal(RunState.Ready, (await Store.GetExecutionAsync("queued"))!.RunState);
        Assert.Equal(RunState.Queued, (await Store.GetExecutionAsync("other-queued"))!.RunState);
        Assert.Equal(["queued"], (await Store.ClaimAsync(Claim("w2"))).Select(r => r.Id));
    }

    [Fact]
    public async Task Finish_PromotesTheRunAReplaceQueued_WhenTheStoppedRunEnds()
    {
        var run = await StartAsync("old");
        await AdmitAsync(Rows.Run("new", requestedAt: Rows.T0.AddSeconds(1)), OverlapPolicy.Replace);

        Assert.True(await Store.FinishAsync(FinishOf(run, ExecutionOutcome.Cancelled) with { Error = "replaced" }));

        Assert.Equal(["new"], (await Store.ClaimAsync(Claim("w1"))).Select(r => r.Id));
    }

    public static TheoryData<string> StaleClaims => ["older attempt", "other owner", "already ended"];

    [Theory]
    [MemberData(nameof(StaleClaims))]
    public async Task Finish_IsRefusedAndWritesNothing_WhenTheClaimIsStale(string stale)
    {
        await Store.UpsertHandAsync(Rows.HandEntry());
        var run = await StartAsync("r1", owner: "w1");
        await AdmitAsync(Rows.Run("queued", requestedAt: Rows.T0.AddSeconds(1)), OverlapPolicy.Queue);
        var finish = FinishOf(run, ExecutionOutcome.ApprovalPending) with
        {
            Counted = ExecutionOutcome.Success,
            Output = "late",
            Approvals = [Rows.Approval("a1", "r1")],
            Outbox = [Rows.Message("late-message", executionId: "r1")],
            Triggers = [new RunAdmission(Rows.Run("triggered", hand: "sentinel"), null)],
        };
        switch (stale)
        {
            case "older attempt":
                // The lease ran out, the run was handed back and another worker claimed it (attempt 2).
                await Store.ReleaseLostAsync(new LostRun("r1", run.Attempt, Rows.Hand, LostRunAction.Retry, Now, "lease ran out"));
                Assert.Single(await Store.ClaimAsync(Claim("w2")));
                break;
            case "other owner":
                finish = finish with { Owner = "w2" };
                break;
            default:
                Assert.True(await Store.FinishAsync(FinishOf(run, ExecutionOutcome.Failure)));
                break;
        }

        var before = (await Store.GetExecutionAsync("r1"))!;
        var handBefore = (await Store.GetHandAsync(Rows.Hand))!;
        var queuedBefore = (await Store.GetExecutionAsync("queued"))!.RunState;

        Assert.False(await Store.FinishAsync(finish));

        AssertSameRun(before, await Store.GetExecutionAsync("r1"));
        Assert.Equal(handBefore, await Store.GetHandAsync(Rows.Hand));
        Assert.Empty(await Store.ListApprovalsForExecutionAsync("r1"));
        Assert.Empty(await Store.ListOutboxForExecutionAsync("r1"));
        Assert.Null(await Store.GetExecutionAsync("triggered"));
        Assert.Equal(queuedBefore, (await Store.GetExecutionAsync("queued"))!.RunState);
    }

    [Fact]
    public async Task Finish_WritesNothing_WhenAPartOfItFails()
    {
        await Store.UpsertHandAsync(Rows.HandEntry());
        var run = await StartAsync("r1");
        var approval = Rows.Approval("a1", "r1");

        // Two approvals with one id: the second insert fails, and the whole finish with it.
        await Assert.ThrowsAnyAsync<Exception>(() => Store.FinishAsync(FinishOf(run, ExecutionOutcome.ApprovalPending) with
        {
            Approvals = [approval, approval with { Reference = "other" }],
            Outbox = [Rows.Message("m1", executionId: "r1")],
        }));

        Assert.Equal(RunState.Running, (await Store.GetExecutionAsync("r1"))!.RunState);
        Assert.Equal(new HandCounters(0, 0, 0), (await Store.GetHandAsync(Rows.Hand))!.Counters);
        Assert.Empty(await Store.ListApprovalsForExecutionAsync("r1"));
        Assert.Empty(await Store.ListOutboxForExecutionAsync("r1"));
        Assert.True(await Store.FinishAsync(FinishOf(run)));
    }

    [Fact]
    public async Task Finish_RecordsTheRun_WhenItsHandWasRemovedMeanwhile()
    {
        await Store.UpsertHandAsync(Rows.HandEntry());
        var run = await StartAsync("r1");
        await Store.RemoveHandAsync(Rows.Hand);

        Assert.True(await Store.FinishAsync(FinishOf(run)));

        Assert.Equal(ExecutionOutcome.Success, (await Store.GetExecutionAsync("r1"))!.Outcome);
        Assert.Null(await Store.GetHandAsync(Rows.Hand));
    }

    [Fact]
    public async Task Finish_IsWrittenOnce_WhenTheSameFinishRacesItself()
    {
        await Store.UpsertHandAsync(Rows.HandEntry());
        var run = await StartAsync("r1");
        var peer = await Fixture.OpenPeerAsync();

        var results = await RaceAsync(10, i => (i % 2 == 0 ? Store : peer).FinishAsync(FinishOf(run) with
        {
            Outbox = [Rows.Message($"m{i}", executionId: "r1")],
        }));

        Assert.Single(results, r => r);
        Assert.Single(await Store.ListOutboxForExecutionAsync("r1"));
        Assert.Equal(new HandCounters(1, 1, 0), (await Store.GetHandAsync(Rows.Hand))!.Counters);
    }

    [Fact]
    public async Task ReleaseLost_Interrupt_EndsTheRunWhenItWasLastKnownAlive()
    {
        await Store.UpsertHandAsync(Rows.HandEntry());
        var run = await StartAsync("r1", owner: "w1");
        await AdmitAsync(Rows.Run("queued", requestedAt: Rows.T0.AddSeconds(1)), OverlapPolicy.Queue);
        Time.Advance(TimeSpan.FromSeconds(30));
        var lastBeat = Now;
        await Store.HeartbeatAsync("w1", ["r1"], lastBeat, lastBeat + Lease);
        Time.Advance(TimeSpan.FromMinutes(10));

        Assert.True(await Store.ReleaseLostAsync(new LostRun("r1", run.Attempt, Rows.Hand, LostRunAction.Interrupt, Now, "HandsBot stopped")
        {
            Outbox = [Rows.Message("r1:interrupted", executionId: "r1")],
        }));

        var stored = (await Store.GetExecutionAsync("r1"))!;
        Assert.Equal(RunState.Done, stored.RunState);
        Assert.Equal(ExecutionOutcome.Interrupted, stored.Outcome);
        Assert.Equal(lastBeat, stored.CompletedAt);
        Assert.Equal("HandsBot stopped", stored.Error);
        var hand = (await Store.GetHandAsync(Rows.Hand))!;
        Assert.Equal(new HandCounters(1, 0, 1), hand.Counters);
        Assert.Equal(ExecutionOutcome.Interrupted, hand.LastOutcome);
        Assert.Equal(lastBeat, hand.LastRunAt);
        Assert.Equal(["r1:interrupted"], (await Store.ListOutboxForExecutionAsync("r1")).Select(i => i.IdempotencyKey));
        Assert.Equal(RunState.Ready, (await Store.GetExecutionAsync("queued"))!.RunState);
    }

    [Fact]
    public async Task ReleaseLost_Interrupt_EndsTheRunAtItsClaim_WhenNoHeartbeatCame()
    {
        var run = await StartAsync("r1");
        Time.Advance(TimeSpan.FromMinutes(10));

        Assert.True(await Store.ReleaseLostAsync(new LostRun("r1", run.Attempt, Rows.Hand, LostRunAction.Interrupt, Now, "gone")));

        Assert.Equal(run.StartedAt, (await Store.GetExecutionAsync("r1"))!.CompletedAt);
    }

    [Fact]
    public async Task ReleaseLost_Retry_MakesTheRunReadyForAnotherAttempt()
    {
        await Store.UpsertHandAsync(Rows.HandEntry());
        var run = await StartAsync("r1", owner: "w1");

        Assert.True(await Store.ReleaseLostAsync(new LostRun("r1", run.Attempt, Rows.Hand, LostRunAction.Retry, Now, "lease ran out")));

        var stored = (await Store.GetExecutionAsync("r1"))!;
        Assert.Equal(RunState.Ready, stored.RunState);
        Assert.Null(stored.Outcome);
        Assert.Null(stored.Owner);
        Assert.Equal(run.Attempt, stored.Attempt);
        Assert.Equal(new HandCounters(0, 0, 0), (await Store.GetHandAsync(Rows.Hand))!.Counters);
        var again = Assert.Single(await Store.ClaimAsync(Claim("w2")));
        Assert.False(await Store.FinishAsync(FinishOf(run)));
        Assert.False(await Store.RecordProcessAsync("r1", run.Attempt, 1, 1));
        Assert.True(await Store.FinishAsync(FinishOf(again)));
    }

    [Theory]
    [InlineData(LostRunAction.Interrupt)]
    [InlineData(LostRunAction.Retry)]
    public async Task ReleaseLost_ReturnsFalseAndWritesNothing_WhenTheRunMovedOn(LostRunAction action)
    {
        var stale = await StartAsync("stale", hand: "a");
        await Store.ReleaseLostAsync(new LostRun("stale", stale.Attempt, "a", LostRunAction.Retry, Now, "first"));
        Assert.Single(await Store.ClaimAsync(Claim("w2")));
        var ended = await StartAsync("ended", hand: "b");
        Assert.True(await Store.FinishAsync(FinishOf(ended)));
        var staleBefore = (await Store.GetExecutionAsync("stale"))!;
        var endedBefore = (await Store.GetExecutionAsync("ended"))!;

        Assert.False(await Store.ReleaseLostAsync(new LostRun("stale", stale.Attempt, "a", action, Now, "second") { Outbox = [Rows.Message("n1", executionId: "stale")] }));
        Assert.False(await Store.ReleaseLostAsync(new LostRun("ended", ended.Attempt, "b", action, Now, "second") { Outbox = [Rows.Message("n2", executionId: "ended")] }));

        AssertSameRun(staleBefore, await Store.GetExecutionAsync("stale"));
        AssertSameRun(endedBefore, await Store.GetExecutionAsync("ended"));
        Assert.Equal(0, await CountAsync("outbox"));
    }

    [Fact]
    public async Task DropQueued_SkipsTheHandsQueuedRunWithTheReason()
    {
        var running = await StartAsync("running");
        await AdmitAsync(Rows.Run("queued", requestedAt: Rows.T0.AddSeconds(1)), OverlapPolicy.Queue);
        await StartAsync("other-running", hand: "sentinel");
        await AdmitAsync(Rows.Run("other-queued", hand: "sentinel", requestedAt: Rows.T0.AddSeconds(1)), OverlapPolicy.Queue);
        Time.Advance(TimeSpan.FromSeconds(5));

        Assert.True(await Store.DropQueuedAsync(Rows.Hand, "oracle was paused", Now));
        Assert.False(await Store.DropQueuedAsync(Rows.Hand, "again", Now));

        var dropped = (await Store.GetExecutionAsync("queued"))!;
        Assert.Equal(RunState.Done, dropped.RunState);
        Assert.Equal(ExecutionOutcome.Skipped, dropped.Outcome);
        Assert.Equal("oracle was paused", dropped.Error);
        Assert.Equal(Now, dropped.CompletedAt);
        Assert.Equal(RunState.Queued, (await Store.GetExecutionAsync("other-queued"))!.RunState);
        Assert.True(await Store.FinishAsync(FinishOf(running)));
        Assert.Empty(await Store.ClaimAsync(Claim("w1")));
    }

    [Fact]
    public async Task DropQueued_ReturnsFalse_WhenNothingIsQueued()
    {
        await AdmitAsync(Rows.Run("ready"));

        Assert.False(await Store.DropQueuedAsync(Rows.Hand, "paused", Now));
        Assert.Equal(RunState.Ready, (await Store.GetExecutionAsync("ready"))!.RunState);
    }
}
