using HandsBot.Core.Storage;
using HandsBot.Storage.Sqlite.Tests.Support;
using Microsoft.Extensions.Logging.Abstractions;

namespace HandsBot.Storage.Sqlite.Tests;

public sealed class StoreLifecycleTests
{
    [Theory]
    [InlineData("")]
    [InlineData("   ")]
    public void Constructor_ThrowsArgument_WhenPathIsBlank(string path)
    {
        Assert.Throws<ArgumentException>(() => new SqliteHandsStore(path, TimeProvider.System, NullLogger<SqliteHandsStore>.Instance));
    }

    [Fact]
    public void Constructor_ThrowsArgumentNull_WhenClockOrLoggerIsMissing()
    {
        Assert.Throws<ArgumentNullException>(() => new SqliteHandsStore("x.db", null!, NullLogger<SqliteHandsStore>.Instance));
        Assert.Throws<ArgumentNullException>(() => new SqliteHandsStore("x.db", TimeProvider.System, null!));
    }

    [Fact]
    public async Task Constructor_TouchesNothingOnDisk_AndMakesThePathAbsolute()
    {
        await using var db = new TempDatabase();

        var store = db.OpenStore();

        Assert.False(Directory.Exists(db.Root));
        Assert.Equal(db.Path, store.DatabasePath);
        Assert.Equal(db.Path, store.Describe);
        Assert.False(store.Shared);
        Assert.Equal(db.Path + ".lock", store.LockPath);
    }

    [Fact]
    public async Task Operations_ThrowStoreUnavailableAndCreateNoFile_WhenStoreWasNeverMigrated()
    {
        // After start-up a missing file is a fault, never silently a new empty database.
        await using var db = new TempDatabase();
        Directory.CreateDirectory(Path.GetDirectoryName(db.Path)!);
        var store = db.OpenStore();

        var error = await Assert.ThrowsAsync<StoreUnavailableException>(() => store.ListHandsAsync());

        Assert.Contains(db.Path, error.Message, StringComparison.Ordinal);
        Assert.False(File.Exists(db.Path));
    }

    [Fact]
    public async Task Dispose_CanBeCalledTwice_AndClosesPooledConnections()
    {
        await using var db = new TempDatabase();
        var store = db.OpenStore();
        await store.MigrateAsync();
        await store.SetSettingAsync("k", "v");
        var wal = db.Path + "-wal";
        var walWhileOpen = File.Exists(wal);

        store.Dispose();
        store.Dispose();

        // SQLite checkpoints and deletes the WAL file when the last connection to the database closes.
        Assert.True(walWhileOpen);
        Assert.False(File.Exists(wal));
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

    [Fact]
    public async Task ParallelWritersAndReaders_LoseNothingAndNeverFail()
    {
        // The write gate serialises this process's writers; WAL lets readers run beside them.
        var (db, store) = await TempDatabase.CreateMigratedAsync();
        await using var _ = db;
        await store.UpsertHandAsync(Samples.Hand());
        const int writers = 6;
        const int perWriter = 25;
        var start = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        using var writersDone = new CancellationTokenSource();

        var writing = Enumerable.Range(0, writers).Select(w => Task.Run(async () =>
        {
            await start.Task;
            for (var i = 0; i < perWriter; i++)
            {
                await Samples.RunToEndAsync(store, $"w{w}-{i}");
            }
        })).ToList();
        var reading = Enumerable.Range(0, 3).Select(_ => Task.Run(async () =>
        {
            await start.Task;
            var reads = 0;
            while (!writersDone.IsCancellationRequested || reads == 0)
            {
                await store.ListExecutionsAsync("oracle", 20);
                await store.ListActiveRunsAsync();
                await store.GetBacklogAsync(Samples.T0);
                reads++;
            }

            return reads;
        })).ToList();

        start.SetResult();
        await Task.WhenAll(writing);
        await writersDone.CancelAsync();
        var readCounts = await Task.WhenAll(reading);

        const int total = writers * perWriter;
        Assert.All(readCounts, c => Assert.True(c > 0));
        Assert.Equal((long)total, db.Scalar("SELECT count(*) FROM executions WHERE outcome = 'success';"));
        Assert.Equal((long)total, db.Scalar("SELECT count(*) FROM outbox;"));
        Assert.Empty(await store.ListActiveRunsAsync());
        Assert.Equal(total, (await store.GetHandAsync("oracle"))!.Counters.Successes);
    }
}
