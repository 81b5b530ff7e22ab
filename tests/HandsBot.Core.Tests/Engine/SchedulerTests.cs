using HandsBot.Core.Model;
using HandsBot.Core.Storage;
using Microsoft.Extensions.Time.Testing;

namespace HandsBot.Core.Tests.Engine;

public sealed class SchedulerTests : IDisposable
{
    private readonly TestFolder _folder = new();

    public void Dispose() => _folder.Dispose();

    private static string Hand(string schedule, string command = "echo tick", string extra = "") =>
        $"[hand]\n{schedule}\n{extra}\n[run]\ncommand = \"{command}\"\n[output]\nchannel = \"console\"\n";

    [Fact]
    public async Task CronHand_FiresAtItsTime_AndStoresTheNextDueTime()
    {
        var start = new DateTimeOffset(2026, 6, 1, 10, 2, 0, TimeSpan.Zero);
        _folder.AddHand("tick", Hand("schedule = \"*/5 * * * *\""));
        var time = new FakeTimeProvider(start);
        await using var engine = await new EngineHarness(_folder, time).StartLoopsAsync();

        Assert.Equal(start.AddMinutes(3), (await engine.Store.GetHandAsync("tick"))!.NextDueAt);
        var handled = engine.NextHandled("tick");
        time.Advance(TimeSpan.FromMinutes(3));
        var slot = await handled;
        await engine.SettleAsync();

        Assert.Equal(start.AddMinutes(3), slot.Slot);
        Assert.Equal(start.AddMinutes(8), (await engine.Store.GetHandAsync("tick"))!.NextDueAt);
        var run = Assert.Single(await engine.Store.ListExecutionsAsync("tick", 10));
        Assert.Equal(ExecutionOutcome.Success, run.Outcome);
        Assert.Equal(RunTrigger.Schedule, run.Trigger);
        Assert.Equal(start.AddMinutes(3), run.ScheduledFor);
        Assert.Contains(engine.Channel.Texts, t => t.Contains("tick", StringComparison.Ordinal));
    }

    [Fact]
    public async Task IntervalHand_StaysOnItsGrid_WithoutDrift()
    {
        var start = new DateTimeOffset(2026, 6, 1, 10, 0, 0, TimeSpan.Zero);
        _folder.AddHand("beat", "[hand]\n[hand.schedule]\ninterval = 60\n[run]\ncommand = \"echo beat\"\n");
        var time = new FakeTimeProvider(start);
        await using var engine = await new EngineHarness(_folder, time).StartLoopsAsync();

        // The first slot is handled a second late; the grid must not move with it.
        var advances = new[] { 61, 59, 60 };
        for (var i = 1; i <= 3; i++)
        {
            var handled = engine.NextHandled("beat");
            time.Advance(TimeSpan.FromSeconds(advances[i - 1]));
            var slot = await handled;
            Assert.Equal(start.AddSeconds(60 * i), slot.Slot);
            Assert.Equal(start.AddSeconds(60 * (i + 1)), slot.Next);
        }
        await engine.SettleAsync();
        var runs = await engine.Store.ListExecutionsAsync("beat", 10);
        Assert.Equal(3, runs.Count);
    }

    public static TheoryData<string, string, string, string> DstDays => new()
    {
        // zone, local daily time, now (UTC), expected first two fire times (UTC) "a|b"
        { "Europe/Berlin", "30 2 * * *", "2026-03-28T12:00:00Z", "2026-03-29T01:00:00Z|2026-03-30T00:30:00Z" },
        { "Europe/Berlin", "30 2 * * *", "2026-10-24T12:00:00Z", "2026-10-25T00:30:00Z|2026-10-26T01:30:00Z" },
        { "America/New_York", "30 2 * * *", "2026-03-07T12:00:00Z", "2026-03-08T07:00:00Z|2026-03-09T06:30:00Z" },
        { "America/New_York", "30 1 * * *", "2026-10-31T12:00:00Z", "2026-11-01T05:30:00Z|2026-11-02T06:30:00Z" },
    };

    [Theory]
    [MemberData(nameof(DstDays))]
    public async Task CronHand_FiresOnceAcrossDstChanges_InItsTimezone(string zone, string cron, string now, string expected)
    {
        var start = DateTimeOffset.Parse(now, System.Globalization.CultureInfo.InvariantCulture);
        var want = expected.Split('|').Select(s => DateTimeOffset.Parse(s, System.Globalization.CultureInfo.InvariantCulture)).ToArray();
        _folder.AddHand("dst", $"[hand]\n[hand.schedule]\ncron = \"{cron}\"\ntimezone = \"{zone}\"\n[run]\ncommand = \"echo dst\"\n");
        var time = new FakeTimeProvider(start);
        await using var engine = await new EngineHarness(_folder, time).StartLoopsAsync();

        Assert.Equal(want[0], (await engine.Store.GetHandAsync("dst"))!.NextDueAt);
        var handled = engine.NextHandled("dst");
        time.Advance(want[0] - start);
        var first = await handled;
        Assert.Equal(want[0], first.Slot);
        Assert.Equal(want[1], first.Next);
        await engine.SettleAsync();
        Assert.Single(await engine.Store.ListExecutionsAsync("dst", 10));
    }

    [Fact]
    public async Task RunOnceMisfire_CatchesUpTheLatestSlot_AndRecordsTheEarlierOnesAsMissed()
    {
        var start = new DateTimeOffset(2026, 6, 1, 10, 30, 0, TimeSpan.Zero);
        _folder.AddHand("hourly", Hand("schedule = \"0 * * * *\""));
        var time = new FakeTimeProvider(start);
        await using (await new EngineHarness(_folder, time).StartLoopsAsync())
        {
        }
        time.Advance(TimeSpan.FromHours(2)); // down from 10:30 to 12:30: 11:00 and 12:00 missed

        await using var engine = new EngineHarness(_folder, time);
        var handled = engine.NextHandled("hourly");
        await engine.StartLoopsAsync();
        var slot = await handled;
        await engine.SettleAsync();

        Assert.Equal(start.AddMinutes(90), slot.Slot);
        var history = await engine.Store.ListExecutionsAsync("hourly", 10);
        Assert.Equal(2, history.Count);
        Assert.Contains(history, e => e.Outcome == ExecutionOutcome.Success && e.ScheduledFor == start.AddMinutes(90));
        Assert.Contains(history, e => e.Outcome == ExecutionOutcome.Missed && e.ScheduledFor == start.AddMinutes(30));
        Assert.Equal(start.AddMinutes(150), (await engine.Store.GetHandAsync("hourly"))!.NextDueAt);
    }

    [Theory]
    [InlineData("misfire = \"run_once\"\nmisfire_grace = 600")]
    [InlineData("misfire = \"skip\"")]
    public async Task Misfire_OnlyRecordsMissedSlots_WhenSkipOrOlderThanGrace(string policy)
    {
        var start = new DateTimeOffset(2026, 6, 1, 10, 30, 0, TimeSpan.Zero);
        _folder.AddHand("hourly", $"[hand]\n[hand.schedule]\ncron = \"0 * * * *\"\n{policy}\n[run]\ncommand = \"echo hi\"\n");
        var time = new FakeTimeProvider(start);
        await using (await new EngineHarness(_folder, time).StartLoopsAsync())
        {
        }
        time.Advance(TimeSpan.FromHours(2));

        await using var engine = new EngineHarness(_folder, time);
        var handled = engine.NextHandled("hourly");
        await engine.StartLoopsAsync();
        var slot = await handled;
        await engine.SettleAsync();

        Assert.Null(slot.Admitted);
        Assert.Equal(2, slot.Missed);
        var history = await engine.Store.ListExecutionsAsync("hourly", 10);
        Assert.Equal(2, history.Count);
        Assert.All(history, e => Assert.Equal(ExecutionOutcome.Missed, e.Outcome));
        Assert.Contains(history, e => e.Error!.Contains("not running", StringComparison.Ordinal));
    }

    [Fact]
    public async Task SlotRecordedBeforeACrash_IsNotFiredAgainAfterRestart()
    {
        var start = new DateTimeOffset(2026, 6, 1, 10, 59, 0, TimeSpan.Zero);
        _folder.AddHand("hourly", Hand("schedule = \"0 * * * *\""));
        var time = new FakeTimeProvider(start);
        await using (var first = await new EngineHarness(_folder, time).StartAsync())
        {
            // The crash: the 11:00 run was recorded but the next due time was not yet advanced.
            await first.Store.InsertExecutionAsync(new ExecutionRecord
            {
                Id = "crashed", Hand = "hourly", Trigger = RunTrigger.Schedule, StartedAt = start.AddMinutes(1), ScheduledFor = start.AddMinutes(1),
                RunState = RunState.Running, Attempt = 1, Owner = $"{Environment.MachineName}/999999/1/gone", AliveAt = start.AddMinutes(1),
            });
            Directory.CreateDirectory(Path.Combine(_folder.Path, "data", "runs", "crashed"));
            await first.Store.SetNextDueAsync("hourly", start.AddMinutes(1));
        }
        time.Advance(TimeSpan.FromSeconds(70));

        await using var engine = new EngineHarness(_folder, time);
        var handled = engine.NextHandled("hourly");
        await engine.StartLoopsAsync();
        var slot = await handled;

        // The slot's run exists: admitting it again finds it instead of running the slot twice.
        Assert.Equal(AdmitStatus.Duplicate, slot.Admitted!.Status);
        var history = await engine.Store.ListExecutionsAsync("hourly", 10);
        var only = Assert.Single(history);
        Assert.Equal(ExecutionOutcome.Interrupted, only.Outcome);
        Assert.Equal(start.AddMinutes(61), (await engine.Store.GetHandAsync("hourly"))!.NextDueAt);
    }

    [Fact]
    public async Task PausedHand_NeverFires_AcrossARestart_UntilResumed()
    {
        var start = new DateTimeOffset(2026, 6, 1, 10, 0, 0, TimeSpan.Zero);
        _folder.AddHand("tick", Hand("schedule = \"*/5 * * * *\""));
        var time = new FakeTimeProvider(start);
        await using (var first = await new EngineHarness(_folder, time).StartLoopsAsync())
        {
            var paused = await first.Engine.PauseAsync("tick", "console:local");
            Assert.True(paused.Changed);
            var refused = await first.Engine.TriggerAsync("tick", new Core.Engine.RunRequest(RunTrigger.Manual, "console:local"));
            Assert.Equal(Core.Engine.TriggerStatus.Paused, refused.Status);
        }
        time.Advance(TimeSpan.FromMinutes(30));

        await using var engine = await new EngineHarness(_folder, time).StartLoopsAsync();
        time.Advance(TimeSpan.FromMinutes(30));
        Assert.Empty(await engine.Store.ListExecutionsAsync("tick", 10));
        Assert.True((await engine.Store.GetHandAsync("tick"))!.Paused);

        var handled = engine.NextHandled("tick");
        var resumed = await engine.Engine.ResumeAsync("tick", "console:local");
        Assert.Equal(start.AddMinutes(65), resumed.NextDueAt);
        time.Advance(TimeSpan.FromMinutes(5));
        Assert.Equal(start.AddMinutes(65), (await handled).Slot);
        await engine.SettleAsync();
        Assert.Single(await engine.Store.ListExecutionsAsync("tick", 10));
    }

    [Fact]
    public async Task ScheduleChangedWhileDown_IsRescheduledFromTheNewSchedule_NotFiredAtTheOldTime()
    {
        var start = new DateTimeOffset(2026, 6, 1, 6, 0, 0, TimeSpan.Zero);
        var dir = _folder.AddHand("daily", Hand("schedule = \"0 7 * * *\""));
        var time = new FakeTimeProvider(start);
        await using (var first = await new EngineHarness(_folder, time).StartLoopsAsync())
        {
            Assert.Equal(start.AddHours(1), (await first.Store.GetHandAsync("daily"))!.NextDueAt);
        }
        File.WriteAllText(Path.Combine(dir, "HAND.toml"), Hand("schedule = \"0 9 * * *\""));
        time.Advance(TimeSpan.FromMinutes(30));

        await using var engine = await new EngineHarness(_folder, time).StartLoopsAsync();

        Assert.Equal(start.AddHours(3), (await engine.Store.GetHandAsync("daily"))!.NextDueAt);
        Assert.Equal(start.AddHours(3), engine.Scheduler.NextDue("daily"));
    }

    [Fact]
    public async Task DescriptionChanged_KeepsTheDueTime()
    {
        var start = new DateTimeOffset(2026, 6, 1, 6, 0, 0, TimeSpan.Zero);
        var dir = _folder.AddHand("beat", "[hand]\n[hand.schedule]\ninterval = 600\n[run]\ncommand = \"echo beat\"\n");
        var time = new FakeTimeProvider(start);
        await using var engine = await new EngineHarness(_folder, time).StartLoopsAsync();
        time.Advance(TimeSpan.FromMinutes(3));

        File.WriteAllText(Path.Combine(dir, "HAND.toml"), "[hand]\ndescription = \"now with words\"\n[hand.schedule]\ninterval = 600\n[run]\ncommand = \"echo beat\"\n");
        await engine.Registry.ReloadAsync();
        await engine.Scheduler.RefreshAsync(CancellationToken.None);

        Assert.Equal(start.AddMinutes(10), engine.Scheduler.NextDue("beat"));
    }
}
