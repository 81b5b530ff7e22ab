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
    public async Task Constructor_CreatesTheDatabaseFolder()
    {
        await using var db = new TempDatabase();

        var store = db.OpenStore();

        Assert.True(Directory.Exists(Path.GetDirectoryName(db.Path)));
        Assert.Equal(db.Path, store.DatabasePath);
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
    public async Task Operations_FailClearly_WhenSchemaWasNeverMigrated()
    {
        await using var db = new TempDatabase();
        var store = db.OpenStore();

        var error = await Assert.ThrowsAsync<Microsoft.Data.Sqlite.SqliteException>(() => store.ListHandsAsync());

        Assert.Contains("no such table", error.Message, StringComparison.Ordinal);
    }
}
