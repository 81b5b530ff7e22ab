using HandsBot.Core.Storage;
using HandsBot.Storage.Sqlite.Tests.Support;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Logging;

namespace HandsBot.Storage.Sqlite.Tests;

/// <summary>
/// Faults an operator meets on a real disk: read-only and missing folders, a second server, a database
/// file deleted or replaced while HandsBot runs, a full disk. Each gives one sentence naming the file.
/// </summary>
public sealed class StoreFaultTests
{
    [Fact]
    public async Task MigrateAsync_ThrowsStoreUnavailableNamingThePath_WhenTheFolderIsReadOnly()
    {
        await using var db = new TempDatabase();
        var folder = Path.GetDirectoryName(db.Path)!;
        Directory.CreateDirectory(folder);
        using var readOnly = Mounts.ReadOnly(folder);

        var error = await Assert.ThrowsAsync<StoreUnavailableException>(() => db.OpenStore().MigrateAsync());

        AssertForPeople(error, db.Path);
        Assert.False(error.Transient);
        Assert.False(File.Exists(db.Path));
    }

    [Fact]
    public async Task MigrateAsync_ThrowsStoreUnavailableNamingThePath_WhenTheFileIsReadOnly()
    {
        await using var db = new TempDatabase();
        var store = db.OpenStore();
        await store.MigrateAsync();
        await store.SetSettingAsync("k", "v");
        db.DisposeStores();
        using var readOnly = Mounts.ReadOnly(db.Path);

        var error = await Assert.ThrowsAsync<StoreUnavailableException>(() => db.OpenStore().MigrateAsync());

        AssertForPeople(error, db.Path);
        Assert.Contains("read-only", error.Message, StringComparison.Ordinal);
        Assert.False(error.Transient);
    }

    [Fact]
    public async Task MigrateAsync_ThrowsStoreUnavailableNamingThePath_WhenTheFolderIsMissingAndCannotBeCreated()
    {
        // The folder's parent is read-only: HandsBot cannot create the missing folder.
        await using var db = new TempDatabase();
        Directory.CreateDirectory(db.Root);
        using var readOnly = Mounts.ReadOnly(db.Root);

        var error = await Assert.ThrowsAsync<StoreUnavailableException>(() => db.OpenStore().MigrateAsync());

        AssertForPeople(error, db.Path);
        Assert.False(error.Transient);
    }

    [Fact]
    public async Task MigrateAsync_ThrowsStoreUnavailableNamingThePath_WhenAFileStandsWhereTheFolderShouldBe()
    {
        await using var db = new TempDatabase();
        Directory.CreateDirectory(db.Root);
        await File.WriteAllTextAsync(Path.GetDirectoryName(db.Path)!, "not a folder");

        var error = await Assert.ThrowsAsync<StoreUnavailableException>(() => db.OpenStore().MigrateAsync());

        AssertForPeople(error, db.Path);
        Assert.False(error.Transient);
    }

    [Fact]
    public async Task AcquireForServing_RefusesASecondStoreOnTheFile_NamingTheFileAndTheOwner()
    {
        var (db, first) = await TempDatabase.CreateMigratedAsync();
        await using var _ = db;
        await first.AcquireForServingAsync("host-a/4242");
        var second = db.OpenStore();
        await second.MigrateAsync();

        var error = await Assert.ThrowsAsync<StoreUnavailableException>(() => second.AcquireForServingAsync("host-b/77"));

        AssertForPeople(error, db.Path);
        Assert.Contains("host-a/4242", error.Message, StringComparison.Ordinal);
        Assert.False(error.Transient);
        // One-shot commands beside the server keep working.
        await second.UpsertHandAsync(Samples.Hand());
    }

    [Fact]
    public async Task AcquireForServing_Succeeds_OnceTheServerHoldingTheFileHasStopped()
    {
        var (db, first) = await TempDatabase.CreateMigratedAsync();
        await using var _ = db;
        await first.AcquireForServingAsync("host-a/4242");
        first.Dispose();
        var second = db.OpenStore();
        await second.MigrateAsync();

        await second.AcquireForServingAsync("host-b/77");

        Assert.Equal("host-b/77", await second.GetSettingAsync("store.serving_owner"));
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task CheckHealth_PutsADeletedDatabaseBack_WithEveryCommittedRow(bool walToo)
    {
        var (db, store) = await TempDatabase.CreateMigratedAsync();
        await using var _ = db;
        await store.AcquireForServingAsync("host-a/1");
        await store.UpsertHandAsync(Samples.Hand());
        for (var i = 0; i < 5; i++)
        {
            await Samples.RunToEndAsync(store, $"r{i}");
        }

        DeleteDatabase(db.Path, walToo);
        await store.SetSettingAsync("written", "after the delete");

        await store.CheckHealthAsync();
        await store.SetSettingAsync("written-after", "the restore");

        Assert.True(File.Exists(db.Path));
        Assert.Contains(db.Logger.Records, r => r.Level == LogLevel.Warning && r.Message.Contains(db.Path, StringComparison.Ordinal));
        db.DisposeStores();
        var reopened = db.OpenStore();
        await reopened.MigrateAsync();
        Assert.Equal(5, (await reopened.ListExecutionsAsync("oracle", 10)).Count);
        Assert.Equal(new Core.Model.HandCounters(5, 5, 0), (await reopened.GetHandAsync("oracle"))!.Counters);
        Assert.Equal(5, (await reopened.GetBacklogAsync(Samples.T0)).Pending);
        Assert.Equal("after the delete", await reopened.GetSettingAsync("written"));
        Assert.Equal("the restore", await reopened.GetSettingAsync("written-after"));
    }

    [Fact]
    public async Task CheckHealth_MovesAReplacingFileAside_AndPutsHandsBotsDatabaseBack()
    {
        var (db, store) = await TempDatabase.CreateMigratedAsync();
        await using var _ = db;
        await Samples.RunToEndAsync(store, "r1");
        var other = Path.Combine(db.Root, "other.db");
        using (var connection = new SqliteConnection($"Data Source={other};Pooling=False"))
        {
            connection.Open();
            using var create = connection.CreateCommand();
            create.CommandText = "CREATE TABLE someone_elses (x INTEGER); INSERT INTO someone_elses VALUES (42);";
            create.ExecuteNonQuery();
        }

        File.Move(other, db.Path, overwrite: true);
        await store.CheckHealthAsync();

        var movedAside = db.Path + ".replaced-20260329T005959Z";
        Assert.True(File.Exists(movedAside));
        using (var connection = new SqliteConnection($"Data Source={movedAside};Mode=ReadOnly;Pooling=False"))
        {
            connection.Open();
            using var read = connection.CreateCommand();
            read.CommandText = "SELECT x FROM someone_elses;";
            Assert.Equal(42L, read.ExecuteScalar());
        }

        Assert.NotNull(await store.GetExecutionAsync("r1"));
        Assert.Contains(db.Logger.Records, r => r.Message.Contains(movedAside, StringComparison.Ordinal));
        db.DisposeStores();
        var reopened = db.OpenStore();
        await reopened.MigrateAsync();
        Assert.NotNull(await reopened.GetExecutionAsync("r1"));
    }

    [Fact]
    public async Task Writes_ThrowTransientStoreUnavailableNamingTheFile_WhenTheDiskIsFull_AndWorkAgainOnceThereIsSpace()
    {
        Assert.True(Mounts.Privileged, "The full-disk test mounts a small tmpfs and needs root (as these tests run here and in CI).");
        await using var db = new TempDatabase();
        using var disk = Mounts.Tmpfs(db.Root, "2m");
        var store = db.OpenStore();
        await store.MigrateAsync();
        await Samples.RunToEndAsync(store, "before");
        var filler = Path.Combine(db.Root, "filler");
        FillDisk(filler);
        var big = new string('x', 512 * 1024);

        var error = await Assert.ThrowsAsync<StoreUnavailableException>(() => store.SetSettingAsync("big", big));

        AssertForPeople(error, db.Path);
        Assert.Contains("full", error.Message, StringComparison.Ordinal);
        Assert.True(error.Transient);
        File.Delete(filler);
        await store.SetSettingAsync("big", big);
        await Samples.RunToEndAsync(store, "after");
        Assert.Equal(big, await store.GetSettingAsync("big"));
        Assert.NotNull(await store.GetExecutionAsync("before"));
    }

    [Fact]
    public async Task Writes_ThrowTransientStoreUnavailableNamingTheFile_WhenTheFileReachesItsPageLimit()
    {
        // SQLITE_FULL without a small disk: the same error when the file may not grow (PRAGMA max_page_count).
        // The store's connections come from a pool keyed by its connection string: prime it with a limited one.
        var (db, store) = await TempDatabase.CreateMigratedAsync();
        await using var _ = db;
        SqliteConnection.ClearAllPools();
        using (var limited = new SqliteConnection(StoreConnectionString(db.Path)))
        {
            limited.Open();
            using var pragma = limited.CreateCommand();
            pragma.CommandText = "PRAGMA max_page_count = 1;";
            pragma.ExecuteNonQuery();
        }

        var error = await Assert.ThrowsAsync<StoreUnavailableException>(() => store.SetSettingAsync("big", new string('x', 256 * 1024)));

        AssertForPeople(error, db.Path);
        Assert.True(error.Transient);
        SqliteConnection.ClearAllPools();
        await store.SetSettingAsync("big", "fits now");
        Assert.Equal("fits now", await store.GetSettingAsync("big"));
    }

    /// <summary>A message for people: it names the file and carries no stack trace.</summary>
    private static void AssertForPeople(StoreUnavailableException error, string path)
    {
        Assert.Contains(path, error.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("   at ", error.Message, StringComparison.Ordinal);
        Assert.DoesNotContain(Environment.NewLine, error.Message, StringComparison.Ordinal);
    }

    private static void DeleteDatabase(string path, bool walToo)
    {
        File.Delete(path);
        if (walToo)
        {
            File.Delete(path + "-wal");
            File.Delete(path + "-shm");
        }
    }

    /// <summary>Writes <paramref name="path"/> until the disk refuses more.</summary>
    private static void FillDisk(string path)
    {
        using var file = new FileStream(path, FileMode.Create, FileAccess.Write);
        var block = new byte[64 * 1024];
        try
        {
            while (true)
            {
                file.Write(block);
                file.Flush();
            }
        }
        catch (IOException)
        {
            // No space left on the device: the disk is full.
        }
    }

    /// <summary>The connection string the store opens its pooled connections with (see SqliteHandsStore's constructor).</summary>
    private static string StoreConnectionString(string path) => new SqliteConnectionStringBuilder
    {
        DataSource = path,
        Mode = SqliteOpenMode.ReadWrite,
        Cache = SqliteCacheMode.Private,
        ForeignKeys = true,
        Pooling = true,
        DefaultTimeout = 10,
    }.ToString();
}
