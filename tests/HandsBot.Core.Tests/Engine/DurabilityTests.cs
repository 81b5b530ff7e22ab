using HandsBot.Core.Access;
using HandsBot.Core.Delivery;
using HandsBot.Core.Engine;
using HandsBot.Core.Model;
using HandsBot.Core.Storage;
using Microsoft.Extensions.Time.Testing;

namespace HandsBot.Core.Tests.Engine;

/// <summary>
/// Every piece of pending work is a row: store errors at any step, and crashes between steps, leave no
/// hand wedged, no run without an outcome, and every decision carried out exactly once.
/// </summary>
public sealed class DurabilityTests : IDisposable
{
    private static readonly DateTimeOffset Start = new(2026, 6, 1, 10, 0, 0, TimeSpan.Zero);
    private static readonly ChatUser Admin = new("console", "local", "console");
    private static readonly RunRequest Manual = new(RunTrigger.Manual, "console:local");
    private readonly TestFolder _folder = new();

    public void Dispose() => _folder.Dispose();

    private const string Blocking = "#!/bin/sh\ntouch \"$HAND_DIR/started-$HAND_RUN_ID\"\nwhile [ ! -f \"$HAND_DIR/release\" ]; do sleep 0.02; done\necho \"done $HAND_RUN_ID\"\n";

    private string AddBlockingHand(string name, string overlap) =>
        _folder.AddHand(name, $"[hand]\noverlap = \"{overlap}\"\n[run]\ncommand = \"./block.sh\"\ntimeout = 60\n[output]\nchannel = \"console\"\n", ("block.sh", Blocking));

    private static Task WaitStarted(string handDir, string executionId) =>
        EngineHarness.WaitUntilAsync(() => File.Exists(Path.Combine(handDir, "started-" + executionId)), "run " + executionId + " started");

    /// <summary>Advances the fake clock in steps (the worker's retry backoff runs on it) until <paramref name="done"/>.</summary>
    private static async Task AdvanceUntilAsync(FakeTimeProvider time, Func<Task<bool>> done, string what)
    {
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(30);
        while (!await done())
        {
            if (DateTime.UtcNow > deadline) throw new TimeoutException("Timed out waiting until " + what);
            time.Advance(TimeSpan.FromSeconds(1));
            await Task.Delay(10);
        }
    }

    private static async Task<ExecutionOutcome?> OutcomeOf(EngineHarness engine, string id) =>
        (await engine.Store.GetExecutionAsync(id))?.Outcome;

    [Fact]
    public async Task StoreErrorWhileRecordingTheEnd_IsRetried_AndTheRunGetsItsOutcome()
    {
        _folder.AddHand("job", "[hand]\n[run]\ncommand = \"echo job\"\n[output]\nchannel = \"console\"\n");
        var time = new FakeTimeProvider(Start);
        await using var engine = await new EngineHarness(_folder, time, faulty: true).StartAsync();
        engine.Faults.Fail(nameof(IRunStore.FinishAsync), times: 3);

        var run = await engine.Engine.TriggerAsync("job", Manual);
        await AdvanceUntilAsync(time, async () => await OutcomeOf(engine, run.ExecutionId!) is not null, "the run's end is recorded");
        await engine.SettleAsync();

        Assert.Equal(ExecutionOutcome.Success, await OutcomeOf(engine, run.ExecutionId!));
        Assert.Equal(0, engine.Faults.Pending(nameof(IRunStore.FinishAsync)));
        Assert.Single(engine.Channel.Texts, t => t.Contains("job", StringComparison.Ordinal));
        Assert.Equal(HandState.Idle, (await engine.Engine.GetHandAsync("job"))!.State);
    }

    [Fact]
    public async Task StoreErrorAsTheQueuedRunIsStarted_LeavesNoWedgedHand()
    {
        var dir = AddBlockingHand("slow", "queue");
        var time = new FakeTimeProvider(Start);
        await using var engine = await new EngineHarness(_folder, time, faulty: true).StartAsync();
        var first = await engine.Engine.TriggerAsync("slow", Manual);
        await WaitStarted(dir, first.ExecutionId!);
        var queued = await engine.Engine.TriggerAsync("slow", Manual);
        Assert.Equal(TriggerStatus.Queued, queued.Status);

        // The write that ends the first run and releases the queued one fails twice, then the claim once.
        engine.Faults.Fail(nameof(IRunStore.FinishAsync), times: 2);
        engine.Faults.Fail(nameof(IRunStore.ClaimAsync), times: 1);
        File.WriteAllText(Path.Combine(dir, "release"), "");
        await AdvanceUntilAsync(time, async () => await OutcomeOf(engine, queued.ExecutionId!) is not null, "the queued run ran");

        Assert.Equal(ExecutionOutcome.Success, await OutcomeOf(engine, first.ExecutionId!));
        Assert.Equal(ExecutionOutcome.Success, await OutcomeOf(engine, queued.ExecutionId!));
        // Nothing pretends the hand is still busy: the next trigger starts at once.
        File.Delete(Path.Combine(dir, "release"));
        var next = await engine.Engine.TriggerAsync("slow", Manual);
        Assert.Equal(TriggerStatus.Started, next.Status);
        File.WriteAllText(Path.Combine(dir, "release"), "");
        await engine.SettleAsync();
    }

    [Fact]
    public async Task StoreErrorWhileAdmitting_RefusesThatTrigger_AndTheNextOneRuns()
    {
        _folder.AddHand("job", "[hand]\n[run]\ncommand = \"echo job\"\n");
        await using var engine = await new EngineHarness(_folder, new FakeTimeProvider(Start), faulty: true).StartAsync();
        engine.Faults.Fail(nameof(IRunStore.AdmitAsync));

        await Assert.ThrowsAsync<StoreUnavailableException>(() => engine.Engine.TriggerAsync("job", Manual));
        Assert.Empty(await engine.Store.ListExecutionsAsync("job", 10));

        var run = await engine.Engine.TriggerAsync("job", Manual);
        await engine.SettleAsync();
        Assert.Equal(ExecutionOutcome.Success, await OutcomeOf(engine, run.ExecutionId!));
    }

    [Fact]
    public async Task QueuedRun_SurvivesACrash_AndRunsAfterTheInterruptedOne()
    {
        var dir = AddBlockingHand("slow", "queue");
        var time = new FakeTimeProvider(Start);
        string firstId, queuedId;
        await using (var crashed = await new EngineHarness(_folder, time, faulty: true).StartAsync())
        {
            var first = await crashed.Engine.TriggerAsync("slow", Manual);
            await WaitStarted(dir, first.ExecutionId!);
            var queued = await crashed.Engine.TriggerAsync("slow", Manual);
            (firstId, queuedId) = (first.ExecutionId!, queued.ExecutionId!);
            // The crash: from here on nothing this process does reaches the store.
            crashed.Faults.Fail(nameof(IRunStore.FinishAsync), times: 1000);
            crashed.Faults.Fail(nameof(IRunStore.ClaimAsync), times: 1000);
        }
        Assert.Equal(RunState.Queued, (await ReadRunAsync(queuedId))!.RunState);

        File.WriteAllText(Path.Combine(dir, "release"), "");
        await using var engine = await new EngineHarness(_folder, time).StartAsync();
        await engine.SettleAsync();

        Assert.Equal(ExecutionOutcome.Interrupted, await OutcomeOf(engine, firstId));
        Assert.Equal(ExecutionOutcome.Success, await OutcomeOf(engine, queuedId));
    }

    [Fact]
    public async Task ApprovedAction_CrashBeforeItRan_IsCarriedOutOnceAfterRestart()
    {
        _folder.AddHand("deployer", "[hand]\n[run]\ncommand = \"./run.sh\"\n[approval_gates]\ndeploy = { description = \"Deploy\" }\n[output]\nchannel = \"console\"\n",
            ("run.sh", "#!/bin/sh\nif [ -n \"${HAND_APPROVED_GATE:-}\" ]; then echo deployed >> \"$HAND_DIR/deployments\"; echo deployed; else echo '{\"gate\":\"deploy\"}' >> \"$HAND_REQUESTS\"; echo planned; fi\n"));
        var time = new FakeTimeProvider(Start);
        string approvalId;
        await using (var crashed = await new EngineHarness(_folder, time, faulty: true).StartAsync())
        {
            await crashed.Engine.TriggerAsync("deployer", Manual);
            await crashed.SettleAsync();
            approvalId = Assert.Single(await crashed.Store.ListPendingApprovalsAsync()).Id;
            // The decision is written; the process dies before any worker picks up its run.
            crashed.Faults.Fail(nameof(IRunStore.ClaimAsync), times: 1000);
            var decided = await crashed.Engine.DecideAsync(approvalId, approve: true, Admin);
            Assert.Equal(DecisionStatus.Decided, decided.Status);
        }

        await using var engine = await new EngineHarness(_folder, time).StartAsync();
        await engine.SettleAsync();
        var again = await engine.Engine.DecideAsync(approvalId, approve: true, Admin);
        await engine.SettleAsync();

        Assert.Equal(DecisionStatus.AlreadyDecided, again.Status);
        Assert.Equal(["deployed"], File.ReadAllLines(Path.Combine(_folder.Path, "hands", "deployer", "deployments")));
        var action = Assert.Single(await engine.Store.ListExecutionsAsync("deployer", 10), e => e.Trigger == RunTrigger.Approval);
        Assert.Equal(approvalId, action.ApprovalId);
        Assert.Equal(ExecutionOutcome.Success, action.Outcome);
    }

    [Fact]
    public async Task ApprovalOfARemovedHand_ExpiresWithTheReason_AndItsRequestIsEdited()
    {
        _folder.AddHand("briefing", "[hand]\n[run]\ncommand = \"echo 'Market is calm'\"\n[approval_gates]\npost = { action = \"broadcast\" }\n[output]\nchannel = \"console\"\n");
        await using var engine = await new EngineHarness(_folder, new FakeTimeProvider(Start)).StartAsync();
        await engine.Engine.TriggerAsync("briefing", Manual);
        await engine.SettleAsync();
        var approval = Assert.Single(await engine.Store.ListPendingApprovalsAsync());

        Directory.Delete(Path.Combine(_folder.Path, "hands", "briefing"), recursive: true);
        await engine.Registry.ReloadAsync();
        await engine.Approvals.ApplyDueAsync(CancellationToken.None);
        await engine.SettleAsync();

        var expired = (await engine.Store.GetApprovalAsync(approval.Id))!;
        Assert.Equal(ApprovalStatus.Expired, expired.Status);
        Assert.Equal("the hand briefing was removed", expired.Reason);
        var edit = Assert.Single(engine.Channel.Edits);
        Assert.Contains("Expired: the hand briefing was removed", edit.Part.Text, StringComparison.Ordinal);
        Assert.Empty(edit.Part.Buttons);
        Assert.DoesNotContain(engine.Channel.Texts, t => t.Contains("Market is calm", StringComparison.Ordinal) && !t.Contains("Approval needed", StringComparison.Ordinal));
    }

    [Fact]
    public async Task BroadcastGate_HoldsTheFileDropToo_AndTheHandShowsWaitingForApproval_UntilReleased()
    {
        _folder.AddHand("briefing", "[hand]\n[run]\ncommand = \"echo 'Market is calm'\"\n[approval_gates]\npost = { action = \"broadcast\" }\n[output]\nchannel = \"console\"\nfile_drop = \"drops\"\n");
        await using var engine = await new EngineHarness(_folder, new FakeTimeProvider(Start)).StartAsync();
        var run = await engine.Engine.TriggerAsync("briefing", Manual);
        await engine.SettleAsync();
        var drops = Path.Combine(_folder.Path, "drops");

        Assert.False(Directory.Exists(drops) && Directory.EnumerateFiles(drops).Any());
        Assert.Equal(ExecutionOutcome.ApprovalPending, (await engine.Engine.GetHandAsync("briefing"))!.LastOutcome);

        var approval = Assert.Single(await engine.Store.ListPendingApprovalsAsync());
        await engine.Engine.DecideAsync(approval.Id, approve: true, Admin);
        await engine.SettleAsync();

        var file = Assert.Single(Directory.EnumerateFiles(drops));
        Assert.Equal("Market is calm\n", File.ReadAllText(file));
        Assert.Equal(ExecutionOutcome.Success, (await engine.Engine.GetHandAsync("briefing"))!.LastOutcome);
        Assert.Equal([file], (await engine.Store.GetExecutionAsync(run.ExecutionId!))!.Files);
    }

    [Fact]
    public async Task ProgrammingErrorInAChannel_FailsTheDelivery_WithoutRetrying()
    {
        var time = new FakeTimeProvider(Start);
        await using var engine = await new EngineHarness(_folder, time).StartAsync();
        engine.Channel.Throw.Enqueue(new InvalidOperationException("the adapter has a bug"));

        await engine.Get<Outbox>().EnqueueAsync("test:1", new OutgoingContent { Text = "hello" }, [new ChannelTarget("console", "console")], null, null);
        await engine.Sender.DrainAsync(CancellationToken.None);
        time.Advance(TimeSpan.FromHours(1));
        await engine.Sender.DrainAsync(CancellationToken.None);

        Assert.Equal(1, engine.Channel.Attempts);
        var item = (await engine.Store.GetOutboxItemAsync(1))!;
        Assert.Equal(OutboxStatus.Failed, item.Status);
        Assert.Equal("internal error (InvalidOperationException): the adapter has a bug", item.LastError);
    }

    [Fact]
    public async Task NetworkError_IsRetried_ThenDelivered()
    {
        var time = new FakeTimeProvider(Start);
        await using var engine = await new EngineHarness(_folder, time).StartAsync();
        engine.Channel.Throw.Enqueue(new HttpRequestException("Connection refused"));

        await engine.Get<Outbox>().EnqueueAsync("test:1", new OutgoingContent { Text = "hello" }, [new ChannelTarget("console", "console")], null, null);
        await engine.Sender.DrainAsync(CancellationToken.None);
        Assert.Equal(OutboxStatus.Pending, (await engine.Store.GetOutboxItemAsync(1))!.Status);
        time.Advance(OutboxSender.Backoff(1));
        await engine.Sender.DrainAsync(CancellationToken.None);

        Assert.Equal(OutboxStatus.Delivered, (await engine.Store.GetOutboxItemAsync(1))!.Status);
        Assert.Equal(["hello"], engine.Channel.Texts);
    }

    [Fact]
    public async Task UnauthorisedPlatform_HoldsItsDeliveries_ThenSendsThemAfterARestartWithAWorkingToken()
    {
        var time = new FakeTimeProvider(Start);
        var channel = new RecordingChannel();
        await using (var engine = await new EngineHarness(_folder, time, channel: channel).StartAsync())
        {
            channel.Script.Enqueue(SendResult.Unauthorized("401 Unauthorized: the bot token was refused"));
            var outbox = engine.Get<Outbox>();
            await outbox.EnqueueAsync("a", new OutgoingContent { Text = "first" }, [new ChannelTarget("console", "console")], null, null);
            await outbox.EnqueueAsync("b", new OutgoingContent { Text = "second" }, [new ChannelTarget("console", "console")], null, null);
            await engine.Sender.DrainAsync(CancellationToken.None);
            time.Advance(TimeSpan.FromHours(1));
            await engine.Sender.DrainAsync(CancellationToken.None);

            // One attempt, then the platform is left alone: no hot loop, nothing failed.
            Assert.Equal(1, channel.Attempts);
            Assert.True(engine.Get<ChannelHealth>().IsUnauthorized("console"));
            var held = (await engine.Store.GetOutboxItemAsync(1))!;
            Assert.Equal(OutboxStatus.Pending, held.Status);
            Assert.Equal(0, held.Attempts);
        }

        await using var restarted = await new EngineHarness(_folder, time, channel: channel).StartAsync();
        await restarted.Sender.DrainAsync(CancellationToken.None);
        Assert.Equal(["first", "second"], channel.Texts);
    }

    [Fact]
    public async Task TwoSendersAtOnce_SendEveryItemOnce_InOrderPerChat()
    {
        var time = new FakeTimeProvider(Start);
        await using var engine = await new EngineHarness(_folder, time).StartAsync();
        var outbox = engine.Get<Outbox>();
        var items = new List<OutboxItem>();
        for (var i = 0; i < 200; i++)
        {
            items.AddRange(outbox.Compose($"m{i:D3}", new OutgoingContent { Text = $"m{i:D3}" }, [new ChannelTarget("console", $"chat{i % 10}")], null, null));
        }
        await outbox.EnqueueAsync(items);
        var other = new OutboxSender(engine.Get<ChannelSet>(), engine.Store, outbox, engine.Get<ChannelHealth>(), time, Microsoft.Extensions.Logging.Abstractions.NullLogger<OutboxSender>.Instance);

        await Task.WhenAll(Task.Run(() => engine.Sender.DrainAsync(CancellationToken.None)), Task.Run(() => other.DrainAsync(CancellationToken.None)));

        Assert.Equal(200, engine.Channel.Attempts);
        foreach (var chat in engine.Channel.Sent.GroupBy(m => m.Target.ChatId))
        {
            var texts = chat.Select(m => m.Part.Text).ToList();
            Assert.Equal(texts.Order(StringComparer.Ordinal), texts);
        }
    }

    private async Task<ExecutionRecord?> ReadRunAsync(string id)
    {
        await using var engine = new EngineHarness(_folder, new FakeTimeProvider(Start));
        await engine.Store.MigrateAsync();
        return await engine.Store.GetExecutionAsync(id);
    }
}
