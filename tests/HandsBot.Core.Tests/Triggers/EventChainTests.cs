using HandsBot.Core.Access;
using HandsBot.Core.Engine;
using HandsBot.Core.Model;
using HandsBot.Core.Storage;
using HandsBot.Core.Tests.Engine;
using Microsoft.Extensions.Time.Testing;

namespace HandsBot.Core.Tests.Triggers;

/// <summary>Event hands on the real engine and a real SQLite file: routing by outcome, filters, depth, crashes and broadcast gates.</summary>
public sealed class EventChainTests : IDisposable
{
    private static readonly DateTimeOffset Start = new(2026, 6, 1, 10, 0, 0, TimeSpan.Zero);
    private static readonly RunRequest Manual = new(RunTrigger.Manual, "console:local");
    private static readonly ChatUser Admin = new("console", "local", "console");
    private readonly TestFolder _folder = new();

    public void Dispose() => _folder.Dispose();

    private const string Report = "#!/bin/sh\nprintf '%s|%s|%s|%s|' \"$HAND_TRIGGER\" \"$HAND_PARENT_HAND\" \"$HAND_PARENT_OUTCOME\" \"$HAND_PARENT_RUN_ID\"\ncat \"$HAND_PARENT_OUTPUT\"\n";

    private void AddParent(string name, string command, string extra = "") =>
        _folder.AddHand(name, $"[hand]\n[run]\ncommand = \"{command}\"\n{extra}");

    private void AddChild(string name, string trigger, string extra = "") =>
        _folder.AddHand(name, $"[hand]\ntrigger = \"event\"\n{extra}[run]\ncommand = \"./report.sh\"\n[trigger]\n{trigger}\n", ("report.sh", Report));

    private static async Task<IReadOnlyList<ExecutionRecord>> RunsOf(EngineHarness engine, string hand) =>
        await engine.Store.ListExecutionsAsync(hand, 50);

    [Fact]
    public async Task ParentSuccess_StartsTheChildOnce_WithTheParentsRunOutcomeAndOutput()
    {
        AddParent("fetch", "echo prices are up");
        AddChild("report", "after = [\"fetch\"]");
        await using var engine = await new EngineHarness(_folder, new FakeTimeProvider(Start)).StartAsync();

        var parent = await engine.Engine.TriggerAsync("fetch", Manual);
        await engine.SettleAsync();

        var child = Assert.Single(await RunsOf(engine, "report"));
        Assert.Equal(RunTrigger.Event, child.Trigger);
        Assert.Equal(parent.ExecutionId, child.ParentId);
        Assert.Equal(1, child.ChainDepth);
        Assert.Equal(ExecutionOutcome.Success, child.Outcome);
        Assert.Equal($"event|fetch|success|{parent.ExecutionId}|prices are up\n", child.Output);
    }

    [Fact]
    public async Task Outcomes_RouteToTheChildrenThatListenForThem()
    {
        AddParent("ok", "echo fine");
        AddParent("bad", "echo broken >&2; exit 3");
        AddChild("on-success", "after = [\"ok\", \"bad\"]");
        AddChild("on-failure", "after = [\"ok\", \"bad\"]\non = \"failure\"");
        AddChild("on-any", "after = [\"ok\", \"bad\"]\non = [\"any\"]");
        await using var engine = await new EngineHarness(_folder, new FakeTimeProvider(Start)).StartAsync();

        var ok = await engine.Engine.TriggerAsync("ok", Manual);
        var bad = await engine.Engine.TriggerAsync("bad", Manual);
        await engine.SettleAsync();

        Assert.Equal([ok.ExecutionId], (await RunsOf(engine, "on-success")).Select(r => r.ParentId));
        Assert.Equal([bad.ExecutionId], (await RunsOf(engine, "on-failure")).Select(r => r.ParentId));
        Assert.Equal(2, (await RunsOf(engine, "on-any")).Count);
        Assert.StartsWith("event|bad|failed|", (await RunsOf(engine, "on-failure"))[0].Output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task OutputFilters_DecideWhichChildrenStart()
    {
        AddParent("fetch", "echo '{\\\"status\\\": \\\"changed\\\", \\\"count\\\": 3}'", "[output]\nformat = \"json\"\n");
        AddChild("on-changed", "after = \"fetch\"\noutput_pointer = \"/status\"\noutput_equals = \"changed\"");
        AddChild("on-count", "after = \"fetch\"\noutput_pointer = \"/count\"\noutput_equals = 3");
        AddChild("on-same", "after = \"fetch\"\noutput_pointer = \"/status\"\noutput_equals = \"same\"");
        AddChild("on-regex", "after = \"fetch\"\noutput_match = '\"status\": \"ch'");
        AddChild("on-other-regex", "after = \"fetch\"\noutput_match = \"^nothing\"");
        await using var engine = await new EngineHarness(_folder, new FakeTimeProvider(Start)).StartAsync();

        await engine.Engine.TriggerAsync("fetch", Manual);
        await engine.SettleAsync();

        Assert.Single(await RunsOf(engine, "on-changed"));
        Assert.Single(await RunsOf(engine, "on-count"));
        Assert.Single(await RunsOf(engine, "on-regex"));
        Assert.Empty(await RunsOf(engine, "on-same"));
        Assert.Empty(await RunsOf(engine, "on-other-regex"));
    }

    [Fact]
    public async Task PausedChild_StartsNothing()
    {
        AddParent("fetch", "echo x");
        AddChild("report", "after = \"fetch\"");
        await using var engine = await new EngineHarness(_folder, new FakeTimeProvider(Start)).StartAsync();
        await engine.Engine.PauseAsync("report", "console:local");

        await engine.Engine.TriggerAsync("fetch", Manual);
        await engine.SettleAsync();

        Assert.Empty(await RunsOf(engine, "report"));
    }

    [Fact]
    public async Task ChainDeeperThanTheLimit_StopsWithARecordedVisibleReason()
    {
        AddParent("a", "echo a");
        AddChild("b", "after = \"a\"");
        AddChild("c", "after = \"b\"");
        AddChild("d", "after = \"c\"\nmax_depth = 2", "description = \"third\"\n");
        AddChild("e", "after = \"d\"\non = \"any\"");
        await using var engine = await new EngineHarness(_folder, new FakeTimeProvider(Start)).StartAsync();

        await engine.Engine.TriggerAsync("a", Manual);
        await engine.SettleAsync();

        Assert.Equal(ExecutionOutcome.Success, Assert.Single(await RunsOf(engine, "c")).Outcome);
        var stopped = Assert.Single(await RunsOf(engine, "d"));
        Assert.Equal(ExecutionOutcome.Skipped, stopped.Outcome);
        Assert.Equal(3, stopped.ChainDepth);
        Assert.Equal("event chain stopped: this run would be event number 3 in a row (a → b → c → d) and [trigger] max_depth is 2", stopped.Error);
        // Visible where people look: the hand's channels get the notice; and nothing runs after a stopped chain.
        Assert.Contains(engine.Channel.Texts, t => t.Contains("event chain stopped", StringComparison.Ordinal));
        Assert.Empty(await RunsOf(engine, "e"));
    }

    [Fact]
    public async Task CrashBetweenParentOutcomeAndChildStart_ChildRunsOnceAfterRestart()
    {
        var dir = _folder.AddHand("fetch", "[hand]\n[run]\ncommand = \"./block.sh\"\n", ("block.sh", "#!/bin/sh\ntouch \"$HAND_DIR/started\"\nwhile [ ! -f \"$HAND_DIR/release\" ]; do sleep 0.02; done\necho fetched\n"));
        AddChild("report", "after = \"fetch\"");
        var time = new FakeTimeProvider(Start);
        string parentId;
        await using (var crashed = await new EngineHarness(_folder, time, faulty: true).StartAsync())
        {
            parentId = (await crashed.Engine.TriggerAsync("fetch", Manual)).ExecutionId!;
            await EngineHarness.WaitUntilAsync(() => File.Exists(Path.Combine(dir, "started")), "the parent started");
            // The crash comes right after the parent's outcome is written: this process never claims again.
            crashed.Faults.Fail(nameof(IRunStore.ClaimAsync), times: 100_000);
            File.WriteAllText(Path.Combine(dir, "release"), "");
            await EngineHarness.WaitUntilAsync(() => crashed.Store.GetExecutionAsync(parentId).Result?.Outcome is not null, "the parent's outcome is written");

            var waiting = Assert.Single(await crashed.Store.ListExecutionsAsync("report", 10));
            Assert.Equal(RunState.Ready, waiting.RunState);
        }

        await using var restarted = await new EngineHarness(_folder, time).StartAsync();
        await restarted.SettleAsync();
        // A second restart finds nothing more to do.
        await restarted.Worker.RunReadyAsync(CancellationToken.None);

        var child = Assert.Single(await restarted.Store.ListExecutionsAsync("report", 10));
        Assert.Equal(ExecutionOutcome.Success, child.Outcome);
        Assert.Equal(parentId, child.ParentId);
        Assert.Equal(1, child.Attempt);
    }

    [Fact]
    public async Task CrashBeforeParentOutcome_StartsNoChild()
    {
        var dir = _folder.AddHand("fetch", "[hand]\n[run]\ncommand = \"./block.sh\"\n", ("block.sh", "#!/bin/sh\ntouch \"$HAND_DIR/started\"\nwhile [ ! -f \"$HAND_DIR/release\" ]; do sleep 0.02; done\necho fetched\n"));
        AddChild("report", "after = \"fetch\"\non = \"any\"");
        var time = new FakeTimeProvider(Start);
        string parentId;
        await using (var crashed = await new EngineHarness(_folder, time, faulty: true).StartAsync())
        {
            parentId = (await crashed.Engine.TriggerAsync("fetch", Manual)).ExecutionId!;
            await EngineHarness.WaitUntilAsync(() => File.Exists(Path.Combine(dir, "started")), "the parent started");
            crashed.Faults.Fail(nameof(IRunStore.FinishAsync), times: 100_000);
            crashed.Faults.Fail(nameof(IRunStore.ClaimAsync), times: 100_000);
            File.WriteAllText(Path.Combine(dir, "release"), "");
            await EngineHarness.WaitUntilAsync(() => crashed.Faults.Calls.GetValueOrDefault(nameof(IRunStore.FinishAsync)) > 0, "the finish was tried");
        }

        await using var restarted = await new EngineHarness(_folder, time).StartAsync();
        await restarted.SettleAsync();

        Assert.Equal(ExecutionOutcome.Interrupted, (await restarted.Store.GetExecutionAsync(parentId))!.Outcome);
        Assert.Empty(await restarted.Store.ListExecutionsAsync("report", 10));
    }

    [Fact]
    public async Task BroadcastGatedParent_ReleasesItsChildOnlyOnApproval()
    {
        AddParent("briefing", "echo secret draft", "[approval_gates]\npost = { action = \"broadcast\" }\n");
        AddChild("forward", "after = \"briefing\"");
        await using var engine = await new EngineHarness(_folder, new FakeTimeProvider(Start)).StartAsync();

        var parent = await engine.Engine.TriggerAsync("briefing", Manual);
        await engine.SettleAsync();
        Assert.Equal(ExecutionOutcome.ApprovalPending, (await engine.Store.GetExecutionAsync(parent.ExecutionId!))!.Outcome);
        Assert.Empty(await RunsOf(engine, "forward"));

        var approval = Assert.Single(await engine.Store.ListPendingApprovalsAsync());
        await engine.Engine.DecideAsync(approval.Id, approve: true, Admin);
        await engine.SettleAsync();

        var child = Assert.Single(await RunsOf(engine, "forward"));
        Assert.Equal(parent.ExecutionId, child.ParentId);
        Assert.EndsWith("|secret draft\n", child.Output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task BroadcastGatedParent_Rejected_NeverStartsItsChild()
    {
        AddParent("briefing", "echo secret draft", "[approval_gates]\npost = { action = \"broadcast\" }\n");
        AddChild("forward", "after = \"briefing\"\non = \"any\"");
        await using var engine = await new EngineHarness(_folder, new FakeTimeProvider(Start)).StartAsync();
        await engine.Engine.TriggerAsync("briefing", Manual);
        await engine.SettleAsync();

        var approval = Assert.Single(await engine.Store.ListPendingApprovalsAsync());
        await engine.Engine.DecideAsync(approval.Id, approve: false, Admin);
        await engine.SettleAsync();

        Assert.Empty(await RunsOf(engine, "forward"));
    }
}
