using HandsBot.Core.Engine;
using HandsBot.Core.Model;
using Microsoft.Extensions.Time.Testing;

namespace HandsBot.Core.Tests.Engine;

/// <summary>Overlap policies, the global limit, recovery and shutdown, with hands that block until the test releases them.</summary>
public sealed class RunWorkerTests : IDisposable
{
    private static readonly DateTimeOffset Start = new(2026, 6, 1, 10, 0, 0, TimeSpan.Zero);
    private readonly TestFolder _folder = new();

    public void Dispose() => _folder.Dispose();

    // Announces its start in a file, then waits until the test creates "release" in the hand folder.
    private const string Blocking = "#!/bin/sh\ntouch \"$HAND_DIR/started-$HAND_RUN_ID\"\nwhile [ ! -f \"$HAND_DIR/release\" ]; do sleep 0.02; done\necho \"done $HAND_RUN_ID\"\n";

    private string AddBlockingHand(string name, string overlap) =>
        _folder.AddHand(name, $"[hand]\noverlap = \"{overlap}\"\n[run]\ncommand = \"./block.sh\"\ntimeout = 60\n", ("block.sh", Blocking));

    private static RunRequest Manual => new(RunTrigger.Manual, "console:local");

    private static Task WaitStarted(string handDir, string executionId) =>
        EngineHarness.WaitUntilAsync(() => File.Exists(Path.Combine(handDir, "started-" + executionId)), "run " + executionId + " started");

    [Fact]
    public async Task OverlapSkip_RecordsTheSecondRunAsSkipped()
    {
        var dir = AddBlockingHand("slow", "skip");
        await using var engine = await new EngineHarness(_folder, new FakeTimeProvider(Start)).StartAsync();

        var first = await engine.Engine.TriggerAsync("slow", Manual);
        await WaitStarted(dir, first.ExecutionId!);
        var second = await engine.Engine.TriggerAsync("slow", Manual);
        File.WriteAllText(Path.Combine(dir, "release"), "");
        await engine.SettleAsync();

        Assert.Equal(TriggerStatus.Started, first.Status);
        Assert.Equal(TriggerStatus.Skipped, second.Status);
        Assert.Equal(first.ExecutionId, second.BlockingExecutionId);
        var history = await engine.Store.ListExecutionsAsync("slow", 10);
        Assert.Equal(ExecutionOutcome.Success, history.Single(e => e.Id == first.ExecutionId).Outcome);
        var skipped = history.Single(e => e.Id == second.ExecutionId);
        Assert.Equal(ExecutionOutcome.Skipped, skipped.Outcome);
        Assert.Contains("still running", skipped.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task OverlapQueue_RunsOneQueuedRunAfterTheCurrent_AndSkipsAnyMore()
    {
        var dir = AddBlockingHand("slow", "queue");
        await using var engine = await new EngineHarness(_folder, new FakeTimeProvider(Start)).StartAsync();

        var first = await engine.Engine.TriggerAsync("slow", Manual);
        await WaitStarted(dir, first.ExecutionId!);
        var queued = await engine.Engine.TriggerAsync("slow", Manual);
        var third = await engine.Engine.TriggerAsync("slow", Manual);
        Assert.Equal(TriggerStatus.Queued, queued.Status);
        Assert.False(File.Exists(Path.Combine(dir, "started-" + queued.ExecutionId)));

        File.WriteAllText(Path.Combine(dir, "release"), "");
        await EngineHarness.WaitUntilAsync(() => File.Exists(Path.Combine(dir, "started-" + queued.ExecutionId)), "the queued run started");
        await engine.SettleAsync();

        var history = await engine.Store.ListExecutionsAsync("slow", 10);
        Assert.Equal(ExecutionOutcome.Success, history.Single(e => e.Id == first.ExecutionId).Outcome);
        Assert.Equal(ExecutionOutcome.Success, history.Single(e => e.Id == queued.ExecutionId).Outcome);
        Assert.Equal(ExecutionOutcome.Skipped, history.Single(e => e.Id == third.ExecutionId).Outcome);
    }

    [Fact]
    public async Task OverlapReplace_CancelsTheRunningRun_AndStartsTheNewOne()
    {
        var dir = AddBlockingHand("slow", "replace");
        await using var engine = await new EngineHarness(_folder, new FakeTimeProvider(Start)).StartAsync();

        var first = await engine.Engine.TriggerAsync("slow", Manual);
        await WaitStarted(dir, first.ExecutionId!);
        var second = await engine.Engine.TriggerAsync("slow", Manual);
        await WaitStarted(dir, second.ExecutionId!);
        await EngineHarness.WaitUntilAsync(() => engine.Store.GetExecutionAsync(first.ExecutionId!).Result?.Outcome is not null, "the replaced run ended");
        File.WriteAllText(Path.Combine(dir, "release"), "");
        await engine.SettleAsync();

        var history = await engine.Store.ListExecutionsAsync("slow", 10);
        Assert.Equal(ExecutionOutcome.Cancelled, history.Single(e => e.Id == first.ExecutionId).Outcome);
        Assert.Equal(ExecutionOutcome.Success, history.Single(e => e.Id == second.ExecutionId).Outcome);
    }

    [Fact]
    public async Task GlobalLimit_HoldsRunsBeyondIt_AndOneSlowHandNeverBlocksAnotherBelowIt()
    {
        var a = AddBlockingHand("a", "skip");
        var b = AddBlockingHand("b", "skip");
        _folder.AddHand("fast", "[hand]\n[run]\ncommand = \"echo fast\"\n");
        await using var engine = await new EngineHarness(_folder, new FakeTimeProvider(Start), maxConcurrentRuns: 2).StartAsync();

        var runA = await engine.Engine.TriggerAsync("a", Manual);
        await WaitStarted(a, runA.ExecutionId!);
        // One slow hand holds one slot: a different hand still runs at once.
        var fast = await engine.Engine.TriggerAsync("fast", Manual);
        await EngineHarness.WaitUntilAsync(() => engine.Store.GetExecutionAsync(fast.ExecutionId!).Result?.Outcome == ExecutionOutcome.Success, "fast finished beside a");

        var runB = await engine.Engine.TriggerAsync("b", Manual);
        await WaitStarted(b, runB.ExecutionId!);
        var waiting = await engine.Engine.TriggerAsync("fast", Manual);
        // Both slots taken: the run waits as a ready row instead of starting.
        Assert.Equal(RunState.Ready, (await engine.Store.GetExecutionAsync(waiting.ExecutionId!))!.RunState);
        Assert.Null((await engine.Store.GetExecutionAsync(waiting.ExecutionId!))!.Outcome);

        File.WriteAllText(Path.Combine(a, "release"), "");
        await EngineHarness.WaitUntilAsync(() => engine.Store.GetExecutionAsync(waiting.ExecutionId!).Result?.Outcome == ExecutionOutcome.Success, "the waiting run got a's slot");
        Assert.Null((await engine.Store.GetExecutionAsync(runB.ExecutionId!))!.Outcome);
        File.WriteAllText(Path.Combine(b, "release"), "");
        await engine.SettleAsync();
    }

    [Fact]
    public async Task Trigger_IsRefused_ForUnknownInvalidAndDisabledHands()
    {
        _folder.AddHand("off", "[hand]\nenabled = false\n[run]\ncommand = \"echo off\"\n");
        _folder.AddHand("broken", "[hand]\nschedule = \"not cron\"\n[run]\ncommand = \"echo x\"\n");
        await using var engine = await new EngineHarness(_folder, new FakeTimeProvider(Start)).StartAsync();

        var unknown = await engine.Engine.TriggerAsync("nope", Manual);
        var disabled = await engine.Engine.TriggerAsync("OFF", Manual);
        var invalid = await engine.Engine.TriggerAsync("broken", Manual);

        Assert.Equal(TriggerStatus.NotFound, unknown.Status);
        Assert.Equal(TriggerStatus.Disabled, disabled.Status);
        Assert.Equal(TriggerStatus.Invalid, invalid.Status);
        Assert.NotEmpty(invalid.Errors);
        Assert.Empty(await engine.Store.ListExecutionsAsync("off", 10));
    }

    [Fact]
    public async Task InterruptedRun_IsMarkedInterruptedAtStart_AndNotRunAgain()
    {
        _folder.AddHand("job", "[hand]\n[run]\ncommand = \"echo job\"\n");
        var time = new FakeTimeProvider(Start);
        await using (var first = await new EngineHarness(_folder, time).StartAsync())
        {
            // Running (it got as far as its scratch folder), held by a worker process that no longer exists,
            // last seen alive two minutes in.
            await first.Store.InsertExecutionAsync(new ExecutionRecord
            {
                Id = "died", Hand = "job", Trigger = RunTrigger.Manual, StartedAt = Start, RunState = RunState.Running, Attempt = 1,
                Owner = $"{Environment.MachineName}/999999/1/gone", LeaseUntil = Start.AddMinutes(3), AliveAt = Start.AddMinutes(2),
            });
            Directory.CreateDirectory(Path.Combine(_folder.Path, "data", "runs", "died"));
        }
        time.Advance(TimeSpan.FromMinutes(5));
        await using var engine = await new EngineHarness(_folder, time).StartAsync();
        await engine.SettleAsync();

        var history = await engine.Store.ListExecutionsAsync("job", 10);
        var only = Assert.Single(history);
        Assert.Equal(ExecutionOutcome.Interrupted, only.Outcome);
        // The duration ends when the run was last known alive, not at the restart.
        Assert.Equal(Start.AddMinutes(2), only.CompletedAt);
        Assert.Contains("not re-run", only.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task RunClaimedButNeverStarted_RunsAgainAfterACrash_Once()
    {
        var dir = _folder.AddHand("job", "[hand]\n[run]\ncommand = \"echo ran >> runs.log; echo job\"\n");
        var time = new FakeTimeProvider(Start);
        await using (var first = await new EngineHarness(_folder, time).StartAsync())
        {
            // Claimed by a worker that died before it created the run's scratch folder or started anything.
            await first.Store.InsertExecutionAsync(new ExecutionRecord
            {
                Id = "claimed", Hand = "job", Trigger = RunTrigger.Manual, StartedAt = Start, RunState = RunState.Running, Attempt = 1,
                Owner = $"{Environment.MachineName}/999999/1/gone", LeaseUntil = Start.AddMinutes(1), AliveAt = Start,
            });
        }
        await using var engine = await new EngineHarness(_folder, time).StartAsync();
        await engine.SettleAsync();

        var run = (await engine.Store.GetExecutionAsync("claimed"))!;
        Assert.Equal(ExecutionOutcome.Success, run.Outcome);
        Assert.Equal(2, run.Attempt);
        Assert.Equal(["ran"], File.ReadAllLines(Path.Combine(dir, "runs.log")));
    }

    [Fact]
    public async Task OrphanedProcessOfALostRun_IsKilledAtStart_AndNotedInTheRecord()
    {
        var dir = _folder.AddHand("job", "[hand]\n[run]\ncommand = \"echo job\"\n");
        var time = new FakeTimeProvider(Start);
        // A process left behind by the dead worker: its own session, carrying the run's id.
        using var orphan = System.Diagnostics.Process.Start(new System.Diagnostics.ProcessStartInfo("setsid", ["sleep", "300.123"])
        {
            Environment = { ["HAND_RUN_ID"] = "died" },
        })!;
        await using (var first = await new EngineHarness(_folder, time).StartAsync())
        {
            await first.Store.InsertExecutionAsync(new ExecutionRecord
            {
                Id = "died", Hand = "job", Trigger = RunTrigger.Manual, StartedAt = Start, RunState = RunState.Running, Attempt = 1,
                Owner = $"{Environment.MachineName}/999999/1/gone", LeaseUntil = Start.AddMinutes(1), AliveAt = Start,
            });
            Directory.CreateDirectory(Path.Combine(_folder.Path, "data", "runs", "died"));
        }
        await EngineHarness.WaitUntilAsync(() => File.Exists($"/proc/{orphan.Id}/environ"), "the orphan runs");

        await using var engine = await new EngineHarness(_folder, time).StartAsync();

        await orphan.WaitForExitAsync().WaitAsync(TimeSpan.FromSeconds(30));
        var run = (await engine.Store.GetExecutionAsync("died"))!;
        Assert.Equal(ExecutionOutcome.Interrupted, run.Outcome);
        Assert.Contains("were still running and were killed", run.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Shutdown_CancelsRunsStillGoingAfterTheGrace_AndRecordsThemCancelled()
    {
        var dir = AddBlockingHand("slow", "skip");
        await using var engine = await new EngineHarness(_folder, new FakeTimeProvider(Start)).StartAsync();
        var run = await engine.Engine.TriggerAsync("slow", Manual);
        await WaitStarted(dir, run.ExecutionId!);

        await engine.Worker.StopAsync(CancellationToken.None);

        var record = (await engine.Store.GetExecutionAsync(run.ExecutionId!))!;
        Assert.Equal(ExecutionOutcome.Cancelled, record.Outcome);
        Assert.NotNull(record.CompletedAt);
    }

    [Fact]
    public async Task Timeout_KillsTheRun_AndRecordsTimeoutWithTheReason()
    {
        var dir = _folder.AddHand("stuck", "[hand]\n[run]\ncommand = \"touch started; sleep 30 & sleep 30\"\ntimeout = 1\n");
        var time = new FakeTimeProvider(Start);
        await using var engine = await new EngineHarness(_folder, time).StartAsync();

        var run = await engine.Engine.TriggerAsync("stuck", Manual);
        await EngineHarness.WaitUntilAsync(() => File.Exists(Path.Combine(dir, "started")), "the process started");
        time.Advance(TimeSpan.FromSeconds(2)); // the runner's timeout runs on the engine's clock
        await engine.SettleAsync();

        var record = (await engine.Store.GetExecutionAsync(run.ExecutionId!))!;
        Assert.Equal(ExecutionOutcome.Timeout, record.Outcome);
        Assert.Contains("timed out after 1 s", record.Error, StringComparison.Ordinal);
        var view = (await engine.Engine.GetHandAsync("stuck"))!;
        Assert.Equal(HandState.Error, view.State);
        Assert.Equal(1, view.Counters.Failures);
    }
}
