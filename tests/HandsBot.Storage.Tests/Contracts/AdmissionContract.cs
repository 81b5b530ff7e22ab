using HandsBot.Core.Engine;
using HandsBot.Core.Model;
using HandsBot.Core.Storage;
using HandsBot.Storage.Tests.Fixtures;

namespace HandsBot.Storage.Tests.Contracts;

/// <summary><see cref="IRunStore.AdmitAsync"/>: overlap policy in the admitting transaction, repeats found, scheduler passes.</summary>
public abstract class AdmissionContract(IStoreFixture fixture) : StoreContract(fixture)
{
    private static readonly DateTimeOffset NewAt = Rows.T0.AddSeconds(10);

    [Fact]
    public async Task Admit_StoresAReadyRow_WhenHandIsIdle()
    {
        var requested = Rows.T0.AddSeconds(-3);
        var run = Rows.Run("r1", requestedAt: requested) with { RequestedBy = "telegram:42", ReplyTo = "telegram:100" };

        var results = await Store.AdmitAsync(new AdmissionBatch([new RunAdmission(run, OverlapPolicy.Skip)], Rows.T0));

        Assert.Equal([new AdmitResult(AdmitStatus.Ready, "r1")], results, AdmitResultComparer.Instance);
        var stored = await Store.GetExecutionAsync("r1");
        Assert.NotNull(stored);
        Assert.Equal(RunState.Ready, stored.RunState);
        Assert.Null(stored.Outcome);
        Assert.Equal(requested, stored.RequestedAt);
        Assert.Equal(Rows.T0, stored.StartedAt);
        Assert.Equal(0, stored.Attempt);
        Assert.Null(stored.Owner);
        Assert.Equal("telegram:42", stored.RequestedBy);
        Assert.Equal("telegram:100", stored.ReplyTo);
    }

    [Fact]
    public async Task Admit_StampsRequestedAtWithNow_WhenRunHasNone()
    {
        await Store.AdmitAsync(new AdmissionBatch([new RunAdmission(Rows.Run("r1") with { RequestedAt = null }, null)], NewAt));

        Assert.Equal(NewAt, (await Store.GetExecutionAsync("r1"))!.RequestedAt);
    }

    /// <summary>
    /// The hand's active runs (arranged oldest first) and what the policy makes of a new run:
    /// at most one queued run per hand; "replace" never lets two runs of a hand overlap.
    /// </summary>
    [Theory]
    [InlineData(OverlapPolicy.Skip, "", AdmitStatus.Ready, null)]
    [InlineData(OverlapPolicy.Skip, "running", AdmitStatus.Skipped, "running")]
    [InlineData(OverlapPolicy.Skip, "ready", AdmitStatus.Skipped, "ready")]
    [InlineData(OverlapPolicy.Skip, "running,queued", AdmitStatus.Skipped, "running")]
    [InlineData(OverlapPolicy.Queue, "", AdmitStatus.Ready, null)]
    [InlineData(OverlapPolicy.Queue, "running", AdmitStatus.Queued, "running")]
    [InlineData(OverlapPolicy.Queue, "ready", AdmitStatus.Queued, "ready")]
    [InlineData(OverlapPolicy.Queue, "running,queued", AdmitStatus.Skipped, "running")]
    [InlineData(OverlapPolicy.Replace, "", AdmitStatus.Ready, null)]
    [InlineData(OverlapPolicy.Replace, "running", AdmitStatus.Queued, "running")]
    [InlineData(OverlapPolicy.Replace, "ready", AdmitStatus.Ready, null)]
    [InlineData(OverlapPolicy.Replace, "running,queued", AdmitStatus.Queued, "running")]
    public async Task Admit_AppliesOverlapPolicy_ToTheHandsActiveRuns(OverlapPolicy policy, string active, AdmitStatus expected, string? blocking)
    {
        await ArrangeActiveAsync(active);

        var result = await AdmitAsync(Rows.Run("new", requestedAt: NewAt), policy);

        Assert.Equal(expected, result.Status);
        Assert.Equal("new", result.ExecutionId);
        Assert.Equal(blocking, result.BlockingExecutionId);
        var stored = (await Store.GetExecutionAsync("new"))!;
        var state = expected switch
        {
            AdmitStatus.Ready => RunState.Ready,
            AdmitStatus.Queued => RunState.Queued,
            _ => RunState.Done,
        };
        Assert.Equal(state, stored.RunState);
    }

    [Theory]
    [InlineData(OverlapPolicy.Skip)]
    [InlineData(OverlapPolicy.Queue)]
    public async Task Admit_RecordsTheSkippedRunWithItsReason_WhenPolicySkipsIt(OverlapPolicy policy)
    {
        await ArrangeActiveAsync(policy == OverlapPolicy.Queue ? "running,queued" : "running");

        await AdmitAsync(Rows.Run("new", requestedAt: NewAt), policy);

        var skipped = (await Store.GetExecutionAsync("new"))!;
        Assert.Equal(RunState.Done, skipped.RunState);
        Assert.Equal(ExecutionOutcome.Skipped, skipped.Outcome);
        Assert.Equal(NewAt, skipped.CompletedAt);
        Assert.Equal(OverlapRules.SkipReason(policy, "running"), skipped.Error);
        if (policy == OverlapPolicy.Queue)
        {
            Assert.Equal(RunState.Queued, (await Store.GetExecutionAsync("queued"))!.RunState);
        }
    }

    [Fact]
    public async Task Admit_Replace_AsksTheRunningRunToStopAndDropsTheQueuedOne_WhenHandRuns()
    {
        await ArrangeActiveAsync("running,queued");

        var result = await AdmitAsync(Rows.Run("new", requestedAt: NewAt), OverlapPolicy.Replace);

        Assert.Equal(["running"], result.CancelRequested);
        var running = (await Store.GetExecutionAsync("running"))!;
        Assert.Equal(RunState.Running, running.RunState);
        Assert.True(running.CancelRequested);
        var dropped = (await Store.GetExecutionAsync("queued"))!;
        Assert.Equal(RunState.Done, dropped.RunState);
        Assert.Equal(ExecutionOutcome.Skipped, dropped.Outcome);
        Assert.Equal(NewAt, dropped.CompletedAt);
        Assert.False(string.IsNullOrEmpty(dropped.Error));
        Assert.Equal(RunState.Queued, (await Store.GetExecutionAsync("new"))!.RunState);
    }

    [Fact]
    public async Task Admit_Replace_CancelsTheReadyRunBeforeItStarts()
    {
        await ArrangeActiveAsync("ready");

        var result = await AdmitAsync(Rows.Run("new", requestedAt: NewAt), OverlapPolicy.Replace);

        Assert.Empty(result.CancelRequested);
        var cancelled = (await Store.GetExecutionAsync("ready"))!;
        Assert.Equal(RunState.Done, cancelled.RunState);
        Assert.Equal(ExecutionOutcome.Cancelled, cancelled.Outcome);
        Assert.Equal(NewAt, cancelled.CompletedAt);
        Assert.False(string.IsNullOrEmpty(cancelled.Error));
        var claimed = await Store.ClaimAsync(Claim("w1"));
        Assert.Equal(["new"], claimed.Select(r => r.Id));
    }

    [Fact]
    public async Task Admit_Replace_LeavesTheHeartbeatToReportTheStop()
    {
        var running = await StartAsync("running", owner: "w1");

        await AdmitAsync(Rows.Run("new", requestedAt: NewAt), OverlapPolicy.Replace);
        var beat = await Store.HeartbeatAsync("w1", [running.Id], Now, Now + Lease);

        Assert.Equal(["running"], beat.CancelRequested);
        Assert.Empty(beat.Lost);
    }

    [Fact]
    public async Task Admit_IgnoresOverlap_WhenAdmissionHasNoPolicy()
    {
        await ArrangeActiveAsync("running,queued");

        var result = await AdmitAsync(Rows.Run("approved", trigger: RunTrigger.Approval, requestedAt: NewAt) with { ApprovalId = "a1" }, overlap: null);

        Assert.Equal(AdmitStatus.Ready, result.Status);
        Assert.Null(result.BlockingExecutionId);
        Assert.Equal(RunState.Running, (await Store.GetExecutionAsync("running"))!.RunState);
        Assert.Equal(RunState.Queued, (await Store.GetExecutionAsync("queued"))!.RunState);
    }

    [Fact]
    public async Task Admit_DoesNotCountRunsApprovalsReleased_AgainstThePolicy()
    {
        Assert.Equal(AdmitStatus.Ready, (await AdmitAsync(Rows.Run("approved", trigger: RunTrigger.Approval) with { ApprovalId = "a1" })).Status);
        await Store.ClaimAsync(Claim("w1"));

        var result = await AdmitAsync(Rows.Run("new", requestedAt: NewAt), OverlapPolicy.Skip);

        Assert.Equal(AdmitStatus.Ready, result.Status);
    }

    [Fact]
    public async Task Admit_CountsOnlyTheSameHandsActiveRuns()
    {
        await StartAsync("other-hand", hand: "sentinel");
        var done = await StartAsync("done");
        Assert.True(await Store.FinishAsync(FinishOf(done)));

        var result = await AdmitAsync(Rows.Run("new", requestedAt: NewAt), OverlapPolicy.Skip);

        Assert.Equal(AdmitStatus.Ready, result.Status);
    }

    public static TheoryData<string, ExecutionRecord, ExecutionRecord> Repeats => new()
    {
        { "schedule slot", Rows.Slot("first", Rows.T0), Rows.Slot("second", Rows.T0) with { RequestedAt = NewAt } },
        { "delivery id", Rows.Run("first") with { DeliveryId = "d-1" }, Rows.Run("second", requestedAt: NewAt) with { DeliveryId = "d-1" } },
        { "approval", Rows.Run("first", trigger: RunTrigger.Approval) with { ApprovalId = "a-1" }, Rows.Run("second", trigger: RunTrigger.Approval, requestedAt: NewAt) with { ApprovalId = "a-1" } },
        { "event parent", Rows.Run("first", trigger: RunTrigger.Event) with { ParentId = "parent-1" }, Rows.Run("second", trigger: RunTrigger.Event, requestedAt: NewAt) with { ParentId = "parent-1" } },
    };

    [Fact]
    public async Task Admit_KeepsAWebhookPayloadAndAnEventDepth_ByteForByte()
    {
        byte[] body = [0x7B, 0x22, 0x24, 0x28, 0x72, 0x6D, 0x29, 0x22, 0x7D, 0x00, 0xFF];
        await AdmitAsync(Rows.Run("hook", trigger: RunTrigger.Webhook) with { Payload = body, PayloadType = "application/json", DeliveryId = "gh-1" });
        await AdmitAsync(Rows.Run("child", "other", trigger: RunTrigger.Event) with { ParentId = "hook", ChainDepth = 3 });

        var hook = (await Store.GetExecutionAsync("hook"))!;
        Assert.Equal(body, hook.Payload);
        Assert.Equal("application/json", hook.PayloadType);
        Assert.Equal(3, (await Store.GetExecutionAsync("child"))!.ChainDepth);
    }

    [Theory]
    [MemberData(nameof(Repeats))]
    public async Task Admit_ReturnsTheFirstRunAndWritesNothing_WhenRequestIsARepeat(string key, ExecutionRecord first, ExecutionRecord repeat)
    {
        Assert.Equal(AdmitStatus.Ready, (await AdmitAsync(first, OverlapPolicy.Queue)).Status);

        var result = await AdmitAsync(repeat, OverlapPolicy.Queue);

        Assert.True(result.Status == AdmitStatus.Duplicate, key);
        Assert.Equal("first", result.ExecutionId);
        Assert.Null(await Store.GetExecutionAsync("second"));
        Assert.Equal(1, await CountAsync("executions"));
    }

    [Theory]
    [MemberData(nameof(Repeats))]
    public async Task Admit_ReturnsTheFirstRun_WhenItAlreadyEnded(string key, ExecutionRecord first, ExecutionRecord repeat)
    {
        await AdmitAsync(first);
        var claimed = Assert.Single(await Store.ClaimAsync(Claim("w1")));
        Assert.True(await Store.FinishAsync(FinishOf(claimed)));

        var result = await AdmitAsync(repeat, OverlapPolicy.Skip);

        Assert.True(result.Status == AdmitStatus.Duplicate, key);
        Assert.Equal("first", result.ExecutionId);
    }

    [Theory]
    [MemberData(nameof(Repeats))]
    public async Task Admit_FindsTheRepeat_WithinOneBatch(string key, ExecutionRecord first, ExecutionRecord repeat)
    {
        var results = await Store.AdmitAsync(new AdmissionBatch([new RunAdmission(first, null), new RunAdmission(repeat, null)], NewAt));

        Assert.Equal([AdmitStatus.Ready, AdmitStatus.Duplicate], results.Select(r => r.Status));
        Assert.True(results[1].ExecutionId == "first", key);
    }

    [Fact]
    public async Task Admit_FindsTheSkippedRecord_WhenASkippedSlotIsRequestedAgain()
    {
        await StartAsync("running");
        Assert.Equal(AdmitStatus.Skipped, (await AdmitAsync(Rows.Slot("slot-1", NewAt), OverlapPolicy.Skip)).Status);

        var again = await AdmitAsync(Rows.Slot("slot-1-again", NewAt), OverlapPolicy.Skip);

        Assert.Equal(new AdmitResult(AdmitStatus.Duplicate, "slot-1"), again, AdmitResultComparer.Instance);
    }

    [Fact]
    public async Task Admit_AdmitsBoth_WhenTheSameSlotOrDeliveryIdBelongsToAnotherHand()
    {
        await AdmitAsync(Rows.Slot("a-slot", Rows.T0, hand: "a"));
        await AdmitAsync(Rows.Run("a-hook", "a") with { DeliveryId = "d-1" });

        var slot = await AdmitAsync(Rows.Slot("b-slot", Rows.T0, hand: "b"));
        var hook = await AdmitAsync(Rows.Run("b-hook", "b") with { DeliveryId = "d-1" });

        Assert.Equal(AdmitStatus.Ready, slot.Status);
        Assert.Equal(AdmitStatus.Ready, hook.Status);
    }

    [Fact]
    public async Task Admit_AdmitsEachSlot_WhenSlotsDiffer()
    {
        var results = await Store.AdmitAsync(new AdmissionBatch(
            [new RunAdmission(Rows.Slot("s1", Rows.T0), null), new RunAdmission(Rows.Slot("s2", Rows.T0.AddMinutes(1)), null)], NewAt));

        Assert.All(results, r => Assert.Equal(AdmitStatus.Ready, r.Status));
        Assert.Equal(["s1", "s2"], results.Select(r => r.ExecutionId));
    }

    [Fact]
    public async Task Admit_WritesThePassesRecordsAndNextDueTimes()
    {
        await Store.UpsertHandAsync(Rows.HandEntry());
        var missed = Rows.Slot("missed", Rows.T0.AddHours(-1)) with
        {
            RunState = RunState.Done,
            Outcome = ExecutionOutcome.Missed,
            CompletedAt = Rows.T0.AddHours(-1),
            Error = "HandsBot was not running",
        };
        var next = Rows.T0.AddHours(1);

        var results = await Store.AdmitAsync(new AdmissionBatch([new RunAdmission(Rows.Slot("due", Rows.T0), OverlapPolicy.Skip)], Rows.T0)
        {
            Records = [missed],
            NextDue = [new(Rows.Hand, next), new("not-a-hand", next)],
        });

        Assert.Equal(AdmitStatus.Ready, Assert.Single(results).Status);
        AssertSameRun(missed, await Store.GetExecutionAsync("missed"));
        Assert.Equal(next, (await Store.GetHandAsync(Rows.Hand))!.NextDueAt);
        Assert.Null(await Store.GetHandAsync("not-a-hand"));
    }

    [Fact]
    public async Task Admit_LeavesAnAlreadyRecordedSlotAlone_WhenARecordRepeatsIt()
    {
        await AdmitAsync(Rows.Slot("ran", Rows.T0));
        var missedAgain = Rows.Slot("missed", Rows.T0) with { RunState = RunState.Done, Outcome = ExecutionOutcome.Missed, CompletedAt = Rows.T0 };
        var missedTwice = Rows.Slot("missed-2", Rows.T0.AddHours(1)) with { RunState = RunState.Done, Outcome = ExecutionOutcome.Missed, CompletedAt = Rows.T0 };

        await Store.AdmitAsync(new AdmissionBatch([], NewAt) { Records = [missedAgain, missedTwice] });
        await Store.AdmitAsync(new AdmissionBatch([], NewAt) { Records = [missedTwice with { Id = "missed-3" }] });

        Assert.Null(await Store.GetExecutionAsync("missed"));
        Assert.Null(await Store.GetExecutionAsync("missed-3"));
        Assert.Equal(RunState.Ready, (await Store.GetExecutionAsync("ran"))!.RunState);
        Assert.Equal(2, await CountAsync("executions"));
    }

    [Fact]
    public async Task Admit_WritesNothing_WhenAnyPartOfTheBatchFails()
    {
        await Store.UpsertHandAsync(Rows.HandEntry());
        await AdmitAsync(Rows.Run("taken"));

        // The second admission reuses an id: the whole pass, records and due times included, is rolled back.
        await Assert.ThrowsAnyAsync<Exception>(() => Store.AdmitAsync(new AdmissionBatch(
            [new RunAdmission(Rows.Run("fresh"), null), new RunAdmission(Rows.Run("taken", requestedAt: NewAt), null)], NewAt)
        {
            Records = [Rows.Slot("missed", Rows.T0.AddHours(-1)) with { RunState = RunState.Done, Outcome = ExecutionOutcome.Missed, CompletedAt = Rows.T0 }],
            NextDue = [new(Rows.Hand, Rows.T0.AddHours(1))],
        }));

        Assert.Null(await Store.GetExecutionAsync("fresh"));
        Assert.Null(await Store.GetExecutionAsync("missed"));
        Assert.Null((await Store.GetHandAsync(Rows.Hand))!.NextDueAt);
    }

    [Fact]
    public async Task Admit_AdmitsASlotOnce_WhenTwoProcessesRaceForIt()
    {
        var peer = await Fixture.OpenPeerAsync();

        var results = await RaceAsync(20, i => AdmitOnAsync(i % 2 == 0 ? Store : peer, Rows.Slot($"r{i}", Rows.T0), OverlapPolicy.Queue));

        var winner = Assert.Single(results, r => r.Status == AdmitStatus.Ready);
        Assert.All(results, r => Assert.Equal(winner.ExecutionId, r.ExecutionId));
        Assert.Equal(19, results.Count(r => r.Status == AdmitStatus.Duplicate));
        Assert.Equal(1, await CountAsync("executions"));
    }

    [Theory]
    [InlineData(OverlapPolicy.Skip, AdmitStatus.Ready, "")]
    [InlineData(OverlapPolicy.Queue, AdmitStatus.Queued, "running")]
    public async Task Admit_LetsOneRequestThrough_WhenTwoProcessesRaceOnOneHand(OverlapPolicy policy, AdmitStatus winning, string active)
    {
        await ArrangeActiveAsync(active);
        var peer = await Fixture.OpenPeerAsync();

        var results = await RaceAsync(20, i => AdmitOnAsync(i % 2 == 0 ? Store : peer, Rows.Run($"r{i}", requestedAt: NewAt), policy));

        Assert.Single(results, r => r.Status == winning);
        Assert.Equal(19, results.Count(r => r.Status == AdmitStatus.Skipped));
    }

    /// <summary>Arranges the hand's active runs named by state ("running", "ready", "queued"), oldest first.</summary>
    private async Task ArrangeActiveAsync(string states)
    {
        var at = Rows.T0;
        foreach (var state in states.Split(',', StringSplitOptions.RemoveEmptyEntries))
        {
            at = at.AddSeconds(1);
            switch (state)
            {
                case "running":
                    await StartAsync("running", requestedAt: at);
                    break;
                case "ready":
                    Assert.Equal(AdmitStatus.Ready, (await AdmitAsync(Rows.Run("ready", requestedAt: at))).Status);
                    break;
                case "queued":
                    Assert.Equal(AdmitStatus.Queued, (await AdmitAsync(Rows.Run("queued", requestedAt: at), OverlapPolicy.Queue)).Status);
                    break;
            }
        }
    }

    /// <summary>Compares results by value (the record's list property compares by reference).</summary>
    private sealed class AdmitResultComparer : IEqualityComparer<AdmitResult>
    {
        public static readonly AdmitResultComparer Instance = new();

        public bool Equals(AdmitResult? x, AdmitResult? y) =>
            x is not null && y is not null && x.Status == y.Status && x.ExecutionId == y.ExecutionId
            && x.BlockingExecutionId == y.BlockingExecutionId && x.CancelRequested.SequenceEqual(y.CancelRequested);

        public int GetHashCode(AdmitResult obj) => HashCode.Combine(obj.Status, obj.ExecutionId);
    }
}
