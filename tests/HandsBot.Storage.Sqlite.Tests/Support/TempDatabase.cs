using HandsBot.Storage.Sqlite;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Time.Testing;

namespace HandsBot.Storage.Sqlite.Tests.Support;

/// <summary>A database file in a fresh temp folder (inside a not-yet-existing subfolder), deleted on dispose.</summary>
internal sealed class TempDatabase : IAsyncDisposable
{
    private readonly List<SqliteHandsStore> _stores = [];

    public TempDatabase(string? root = null)
    {
        Root = root ?? System.IO.Path.Combine(System.IO.Path.GetTempPath(), "handsbot-storage-tests", Guid.NewGuid().ToString("N"));
        Path = System.IO.Path.Combine(Root, "data", "handsbot.db");
    }

    public string Root { get; }

    public string Path { get; }

    public FakeTimeProvider Time { get; } = new(Samples.T0);

    public RecordingLogger<SqliteHandsStore> Logger { get; } = new();

    /// <summary>A new store on the file and a migrated schema.</summary>
    public static async Task<(TempDatabase Db, SqliteHandsStore Store)> CreateMigratedAsync()
    {
        var db = new TempDatabase();
        var store = db.OpenStore();
        await store.MigrateAsync();
        return (db, store);
    }

    public SqliteHandsStore OpenStore()
    {
        var store = new SqliteHandsStore(Path, Time, Logger);
        _stores.Add(store);
        return store;
    }

    /// <summary>A raw connection outside the store, for arranging and inspecting rows.</summary>
    public SqliteConnection OpenRaw()
    {
        System.IO.Directory.CreateDirectory(System.IO.Path.GetDirectoryName(Path)!);
        var connection = new SqliteConnection(new SqliteConnectionStringBuilder { DataSource = Path, Pooling = false }.ToString());
        connection.Open();
        return connection;
    }

    /// <summary>Closes every store opened here (and the pooled connections), as a stopped process would.</summary>
    public void DisposeStores()
    {
        foreach (var store in _stores)
        {
            store.Dispose();
        }

        _stores.Clear();
        SqliteConnection.ClearAllPools();
    }

    public object? Scalar(string sql)
    {
        using var connection = OpenRaw();
        using var command = connection.CreateCommand();
        command.CommandText = sql;
        return command.ExecuteScalar();
    }

    public void Execute(string sql)
    {
        using var connection = OpenRaw();
        using var command = connection.CreateCommand();
        command.CommandText = sql;
        command.ExecuteNonQuery();
    }

    public ValueTask DisposeAsync()
    {
        DisposeStores();
        if (System.IO.Directory.Exists(Root))
        {
            System.IO.Directory.Delete(Root, recursive: true);
        }

        return ValueTask.CompletedTask;
    }
}
