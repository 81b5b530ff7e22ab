using HandsBot.Core.Model;
using HandsBot.Core.Storage;
using HandsBot.Storage.Sqlite.Tests.Support;
using Microsoft.Data.Sqlite;

namespace HandsBot.Storage.Sqlite.Tests;

public sealed class BatchWriteTests
{
    [Fact]
    public async Task RecordSchedulePassAsync_StoresEveryExecutionAndNextDueTime()
    {
        var (db, store) = await TempDatabase.CreateMigratedAsync();
        await using var _ = db;
        await store.UpsertHandAsync(Samples.Hand("a"));
        await store.UpsertHandAsync(Samples.Hand("b"));
        var missed = Samples.Execution("m1", "a") with { Outcome = ExecutionOutcome.Missed, CompletedAt = Samples.T0, Error = "not running" };

        await store.RecordSchedulePassAsync(new SchedulePass(
            [Samples.Execution("r1", "a"), missed, Samples.Execution("r2", "b")],
            [KeyValuePair.Create("a", Samples.T0.AddHours(1)), KeyValuePair.Create("b", Samples.T0.AddHours(2))]));

        Assert.Null((await store.GetExecutionAsync("r1"))!.Outcome);
        Assert.Equal(ExecutionOutcome.Missed, (await store.GetExecutionAsync("m1"))!.Outcome);
        Assert.Equal("not running", (await store.GetExecutionAsync("m1"))!.Error);
        Assert.Equal(Samples.T0.AddHours(1), (await store.GetHandAsync("a"))!.NextDueAt);
        Assert.Equal(Samples.T0.AddHours(2), (await store.GetHandAsync("b"))!.NextDueAt);
    }

    [Fact]
    public async Task RecordSchedulePassAsync_WritesNothing_WhenAnyPartFails()
    {
        var (db, store) = await TempDatabase.CreateMigratedAsync();
        await using var _ = db;
        await store.UpsertHandAsync(Samples.Hand("a"));
        await store.InsertExecutionAsync(Samples.Execution("taken", "a"));

        await Assert.ThrowsAsync<SqliteException>(() => store.RecordSchedulePassAsync(new SchedulePass(
            [Samples.Execution("fresh", "a"), Samples.Execution("taken", "a")],
            [KeyValuePair.Create("a", Samples.T0.AddHours(1))])));

        Assert.Null(await store.GetExecutionAsync("fresh"));
        Assert.Null((await store.GetHandAsync("a"))!.NextDueAt);
    }

    [Fact]
    public async Task CompleteRunAsync_CompletesAndCountsTogether()
    {
        var (db, store) = await TempDatabase.CreateMigratedAsync();
        await using var _ = db;
        await store.UpsertHandAsync(Samples.Hand("a"));
        await store.InsertExecutionAsync(Samples.Execution("r1", "a"));

        await store.CompleteRunAsync(new ExecutionCompletion("r1", ExecutionOutcome.Failure, Samples.T0.AddSeconds(5), "out", "boom", "err", []), "a", ExecutionOutcome.Failure, "boom");

        var run = (await store.GetExecutionAsync("r1"))!;
        Assert.Equal(ExecutionOutcome.Failure, run.Outcome);
        Assert.Equal("boom", run.Error);
        var hand = (await store.GetHandAsync("a"))!;
        Assert.Equal(new HandCounters(1, 0, 1), hand.Counters);
        Assert.Equal(ExecutionOutcome.Failure, hand.LastOutcome);
        Assert.Equal(Samples.T0.AddSeconds(5), hand.LastRunAt);
    }

    [Fact]
    public async Task CompleteRunAsync_StillRecordsTheRun_WhenTheHandWasRemoved()
    {
        var (db, store) = await TempDatabase.CreateMigratedAsync();
        await using var _ = db;
        await store.InsertExecutionAsync(Samples.Execution("r1", "gone"));

        await store.CompleteRunAsync(new ExecutionCompletion("r1", ExecutionOutcome.Success, Samples.T0, "ok", null, null, []), "gone", ExecutionOutcome.Success, null);

        Assert.Equal(ExecutionOutcome.Success, (await store.GetExecutionAsync("r1"))!.Outcome);
    }
}
