using HandsBot.Core.Storage;
using HandsBot.Storage.Sqlite;
using HandsBot.Storage.Tests.Contracts;
using HandsBot.Storage.Tests.Fixtures;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Time.Testing;

namespace HandsBot.Storage.Tests.Sqlite;

/// <summary>A SQLite file in a fresh temp folder per test, deleted afterwards.</summary>
public sealed class SqliteStoreFixture : IStoreFixture
{
    private readonly string _root = Path.Combine(Path.GetTempPath(), "handsbot-store-contract", Guid.NewGuid().ToString("N"));
    private readonly List<SqliteHandsStore> _stores = [];

    public FakeTimeProvider Time { get; } = new(Rows.T0);

    private string DatabasePath => Path.Combine(_root, "handsbot.db");

    public async Task<IHandsStore> CreateStoreAsync()
    {
        var store = Open();
        await store.MigrateAsync();
        return store;
    }

    public Task<IHandsStore> OpenPeerAsync() => Task.FromResult<IHandsStore>(Open());

    public async Task<object?> ScalarAsync(string sql)
    {
        await using var connection = new SqliteConnection(new SqliteConnectionStringBuilder { DataSource = DatabasePath, Mode = SqliteOpenMode.ReadOnly, Pooling = false }.ToString());
        await connection.OpenAsync();
        await using var command = connection.CreateCommand();
        command.CommandText = sql;
        return await command.ExecuteScalarAsync();
    }

    public ValueTask DisposeAsync()
    {
        foreach (var store in _stores)
        {
            store.Dispose();
        }

        SqliteConnection.ClearAllPools();
        if (Directory.Exists(_root))
        {
            Directory.Delete(_root, recursive: true);
        }

        return ValueTask.CompletedTask;
    }

    private SqliteHandsStore Open()
    {
        var store = new SqliteHandsStore(DatabasePath, Time, NullLogger<SqliteHandsStore>.Instance);
        _stores.Add(store);
        return store;
    }
}
