using HandsBot.Core.Model;
using HandsBot.Core.Storage;
using HandsBot.Storage.Sqlite.Tests.Support;

namespace HandsBot.Storage.Sqlite.Tests;

public sealed class ConcurrencyTests
{
    private const int Writers = 8;
    private const int PerWriter = 40;

    [Fact]
    public async Task ParallelWritersAndReaders_LoseNothingAndNeverFail()
    {
        var (db, store) = await TempDatabase.CreateMigratedAsync();
        await using var _ = db;
        await store.UpsertHandAsync(Samples.Hand());
        var start = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        using var writersDone = new CancellationTokenSource();

        var writers = Enumerable.Range(0, Writers).Select(w => Task.Run(async () =>
        {
            await start.Task;
            for (var i = 0; i < PerWriter; i++)
            {
                var id = $"w{w}-{i}";
                await store.InsertExecutionAsync(Samples.Execution(id, startedAt: Samples.T0.AddMilliseconds(i)));
                await store.EnqueueAsync(Samples.Outbox(id, chat: $"chat{w}", executionId: id));
                await store.RecordRunAsync("oracle", i % 2 == 0 ? ExecutionOutcome.Success : ExecutionOutcome.Failure, null, Samples.T0);
                await store.CompleteExecutionAsync(new ExecutionCompletion(id, ExecutionOutcome.Success, Samples.T0.AddSeconds(1), "ok", null, null, []));
            }
        })).ToList();

        var readers = Enumerable.Range(0, 4).Select(_ => Task.Run(async () =>
        {
            await start.Task;
            var reads = 0;
            while (!writersDone.IsCancellationRequested || reads == 0)
            {
                await store.ListExecutionsAsync("oracle", 20);
                await store.ListDueAsync(Samples.T0, 50);
                await store.ListHandsAsync();
                reads++;
            }

            return reads;
        })).ToList();

        start.SetResult();
        await Task.WhenAll(writers);
        await writersDone.CancelAsync();
        var readCounts = await Task.WhenAll(readers);

        const int total = Writers * PerWriter;
        Assert.All(readCounts, c => Assert.True(c > 0));
        Assert.Equal((long)total, db.Scalar("SELECT count(*) FROM executions WHERE outcome = 'success';"));
        Assert.Equal((long)total, db.Scalar("SELECT count(*) FROM outbox;"));
        Assert.Empty(await store.ListRunningExecutionsAsync());
        Assert.Equal(new HandCounters(total, total / 2, total / 2), (await store.GetHandAsync("oracle"))!.Counters);
    }

    [Fact]
    public async Task TwoStoreInstancesOnOneFile_WriteConcurrentlyWithoutBusyErrors()
    {
        var (db, first) = await TempDatabase.CreateMigratedAsync();
        await using var _ = db;
        var second = db.OpenStore();
        await first.UpsertHandAsync(Samples.Hand());

        var tasks = Enumerable.Range(0, 100).Select(i => Task.Run(() =>
            (i % 2 == 0 ? first : second).RecordRunAsync("oracle", ExecutionOutcome.Success, null, Samples.T0)));
        await Task.WhenAll(tasks);

        Assert.Equal(new HandCounters(100, 100, 0), (await first.GetHandAsync("oracle"))!.Counters);
    }

    [Fact]
    public async Task ConcurrentEnqueuesOfOneKey_StoreExactlyOneItem()
    {
        var (db, store) = await TempDatabase.CreateMigratedAsync();
        await using var _ = db;

        var results = await Task.WhenAll(Enumerable.Range(0, 20).Select(_ => Task.Run(() => store.EnqueueAsync(Samples.Outbox("same")))));

        Assert.Single(results, r => r);
        Assert.Equal(1L, db.Scalar("SELECT count(*) FROM outbox;"));
    }

    [Fact]
    public async Task Operations_HonourCancellation()
    {
        var (db, store) = await TempDatabase.CreateMigratedAsync();
        await using var _ = db;
        using var cancelled = new CancellationTokenSource();
        await cancelled.CancelAsync();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => store.UpsertHandAsync(Samples.Hand(), cancelled.Token));
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => store.ListHandsAsync(cancelled.Token));
        Assert.Empty(await store.ListHandsAsync());
    }
}
