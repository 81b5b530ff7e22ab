using System.Globalization;
using HandsBot.Core.Storage;
using HandsBot.Storage.Sqlite.Mapping;
using HandsBot.Storage.Sqlite.Schema;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Logging;

namespace HandsBot.Storage.Sqlite;

/// <summary>
/// <see cref="IHandsStore"/> on a SQLite file (WAL mode, foreign keys on).
/// Every operation opens a pooled connection of its own, so the store is safe to share between threads;
/// writes are serialised inside the process so concurrent writers never meet SQLITE_BUSY,
/// while reads run in parallel (WAL lets readers proceed during a write).
/// Call <see cref="MigrateAsync"/> once at start-up before any other member: it creates the folder and
/// the file; afterwards a missing file is a fault, never silently a new empty database.
/// </summary>
public sealed partial class SqliteHandsStore : IHandsStore, IDisposable
{
    private const int BusyTimeoutMs = 10_000;

    private readonly string _connectionString;
    private readonly string _createConnectionString;
    private readonly TimeProvider _time;
    private readonly ILogger<SqliteHandsStore> _logger;
    private readonly SemaphoreSlim _writeGate = new(1, 1);

    /// <param name="databasePath">The database file; <see cref="MigrateAsync"/> creates it and its folder when missing.</param>
    /// <param name="time">The clock for <c>updated_at</c> stamps.</param>
    /// <param name="logger">Receives migration and fault messages.</param>
    public SqliteHandsStore(string databasePath, TimeProvider time, ILogger<SqliteHandsStore> logger)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(databasePath);
        ArgumentNullException.ThrowIfNull(time);
        ArgumentNullException.ThrowIfNull(logger);

        DatabasePath = Path.GetFullPath(databasePath);
        var builder = new SqliteConnectionStringBuilder
        {
            DataSource = DatabasePath,
            Mode = SqliteOpenMode.ReadWrite,
            Cache = SqliteCacheMode.Private,
            ForeignKeys = true,
            Pooling = true,
            DefaultTimeout = BusyTimeoutMs / 1000,
        };
        _connectionString = builder.ToString();
        builder.Mode = SqliteOpenMode.ReadWriteCreate;
        _createConnectionString = builder.ToString();
        _time = time;
        _logger = logger;
    }

    /// <summary>The absolute path of the database file.</summary>
    public string DatabasePath { get; }

    /// <inheritdoc />
    public string Describe => DatabasePath;

    /// <inheritdoc />
    public bool Shared => false;

    /// <summary>
    /// Creates the folder, the file and the schema, or upgrades the schema step by step, each step in its
    /// own transaction. Idempotent. Throws <see cref="StoreUnavailableException"/> with a message for people
    /// when the folder or file cannot be written or the database was written by a newer HandsBot.
    /// </summary>
    public async Task MigrateAsync(CancellationToken ct = default)
    {
        await _writeGate.WaitAsync(ct).ConfigureAwait(false);
        try
        {
            try
            {
                if (Path.GetDirectoryName(DatabasePath) is { Length: > 0 } folder)
                {
                    Directory.CreateDirectory(folder);
                }
            }
            catch (Exception ex) when (ex is UnauthorizedAccessException or IOException)
            {
                throw StoreFaults.FolderNotWritable(DatabasePath, ex);
            }

            await using var connection = await OpenAsync(_createConnectionString, ct).ConfigureAwait(false);
            try
            {
                // journal_mode is persistent in the file and cannot change inside a transaction.
                await using (var wal = connection.Command("PRAGMA journal_mode = WAL;"))
                {
                    await wal.ExecuteScalarAsync(ct).ConfigureAwait(false);
                }

                // SQLite opens a file it may not write read-only without a word, and an up-to-date schema
                // needs no write (nor does taking the write lock in WAL mode): ask, so it fails here, at start.
                if (SQLitePCL.raw.sqlite3_db_readonly(connection.Handle, "main") == 1)
                {
                    throw new SqliteException("attempt to write a readonly database", 8);
                }

                var start = await ReadUserVersionAsync(connection, null, ct).ConfigureAwait(false);
                EnsureKnownVersion(start);
                if (start == SchemaMigrations.LatestVersion)
                {
                    Log.SchemaUpToDate(_logger, DatabasePath, start);
                }
                else
                {
                    Log.Migrating(_logger, DatabasePath, start, SchemaMigrations.LatestVersion);
                    foreach (var migration in SchemaMigrations.All.Where(m => m.Version > start))
                    {
                        await ApplyAsync(connection, migration, ct).ConfigureAwait(false);
                    }
                }
            }
            catch (SqliteException ex) when (StoreFaults.IsFault(ex))
            {
                // A failing step's own SQL error is a bug, not something an operator fixes: it stays a SqliteException.
                throw StoreFaults.Translate(ex, DatabasePath, starting: true);
            }

            OpenGuard();
        }
        finally
        {
            _writeGate.Release();
        }
    }

    public void Dispose()
    {
        CloseGuard();
        ReleaseServingLock();
        // Pooled connections keep the file open; release them (MigrateAsync's pool too) so the file can be moved or deleted.
        foreach (var connectionString in new[] { _connectionString, _createConnectionString })
        {
            using var connection = new SqliteConnection(connectionString);
            SqliteConnection.ClearPool(connection);
        }

        _writeGate.Dispose();
    }

    private async Task ApplyAsync(SqliteConnection connection, Migration migration, CancellationToken ct)
    {
        await using var transaction = (SqliteTransaction)await connection.BeginTransactionAsync(ct).ConfigureAwait(false);

        // Another process may have migrated since we looked: re-check under the write lock of the transaction.
        var current = await ReadUserVersionAsync(connection, transaction, ct).ConfigureAwait(false);
        EnsureKnownVersion(current);
        if (current >= migration.Version)
        {
            return;
        }

        if (current != migration.Version - 1)
        {
            throw new InvalidOperationException(
                $"Database '{DatabasePath}' is at schema version {current}; migration {migration.Version} needs version {migration.Version - 1}.");
        }

        await using (var step = connection.Command(migration.Sql, transaction))
        {
            await step.ExecuteNonQueryAsync(ct).ConfigureAwait(false);
        }

        var setVersion = "PRAGMA user_version = " + migration.Version.ToString(CultureInfo.InvariantCulture) + ";";
        await using (var version = connection.Command(setVersion, transaction))
        {
            await version.ExecuteNonQueryAsync(ct).ConfigureAwait(false);
        }

        await transaction.CommitAsync(ct).ConfigureAwait(false);
        Log.MigrationApplied(_logger, DatabasePath, migration.Version - 1, migration.Version, migration.Description);
    }

    private void EnsureKnownVersion(long version)
    {
        if (version > SchemaMigrations.LatestVersion)
        {
            throw new StoreUnavailableException(
                $"{DatabasePath} has schema version {version}, but this HandsBot only knows versions up to " +
                $"{SchemaMigrations.LatestVersion}. It was written by a newer HandsBot: upgrade HandsBot or point [storage] path at another file.",
                transient: false);
        }
    }

    private static async Task<long> ReadUserVersionAsync(SqliteConnection connection, SqliteTransaction? transaction, CancellationToken ct)
    {
        await using var command = connection.Command("PRAGMA user_version;", transaction);
        return (long)(await command.ExecuteScalarAsync(ct).ConfigureAwait(false) ?? 0L);
    }

    private Task<SqliteConnection> OpenAsync(CancellationToken ct) => OpenAsync(_connectionString, ct);

    private async Task<SqliteConnection> OpenAsync(string connectionString, CancellationToken ct)
    {
        var connection = new SqliteConnection(connectionString);
        try
        {
            await connection.OpenAsync(ct).ConfigureAwait(false);
            // WAL with synchronous=NORMAL: commits skip the fsync (checkpoints still sync), so the file
            // never corrupts; a power cut may lose the last few commits, not a crash of the process.
            await using var pragma = connection.Command("PRAGMA busy_timeout = 10000; PRAGMA synchronous = NORMAL;");
            await pragma.ExecuteNonQueryAsync(ct).ConfigureAwait(false);
            return connection;
        }
        catch (SqliteException ex)
        {
            await connection.DisposeAsync().ConfigureAwait(false);
            throw StoreFaults.Translate(ex, DatabasePath, starting: connectionString == _createConnectionString);
        }
        catch
        {
            await connection.DisposeAsync().ConfigureAwait(false);
            throw;
        }
    }

    /// <summary>Runs a write with the process-wide write gate held; SQLite faults become <see cref="StoreUnavailableException"/>.</summary>
    private async Task<T> WriteAsync<T>(Func<SqliteConnection, Task<T>> work, CancellationToken ct)
    {
        await _writeGate.WaitAsync(ct).ConfigureAwait(false);
        try
        {
            await using var connection = await OpenAsync(ct).ConfigureAwait(false);
            return await work(connection).ConfigureAwait(false);
        }
        catch (SqliteException ex) when (StoreFaults.IsFault(ex))
        {
            throw StoreFaults.Translate(ex, DatabasePath, starting: false);
        }
        finally
        {
            _writeGate.Release();
        }
    }

    /// <summary>Runs <paramref name="work"/> in one write transaction (BEGIN IMMEDIATE) and commits it.</summary>
    private Task<T> InTransactionAsync<T>(Func<SqliteConnection, SqliteTransaction, Task<T>> work, CancellationToken ct) =>
        WriteAsync(
            async connection =>
            {
                await using var transaction = (SqliteTransaction)await connection.BeginTransactionAsync(ct).ConfigureAwait(false);
                var result = await work(connection, transaction).ConfigureAwait(false);
                await transaction.CommitAsync(ct).ConfigureAwait(false);
                return result;
            },
            ct);

    /// <summary>One statement inside an open transaction; returns the rows changed.</summary>
    private static async Task<int> ExecAsync(SqliteConnection connection, SqliteTransaction transaction, string sql, CancellationToken ct, params (string Name, object? Value)[] args)
    {
        await using var command = connection.Command(sql, transaction);
        foreach (var (name, value) in args)
        {
            command.With(name, value);
        }

        return await command.ExecuteNonQueryAsync(ct).ConfigureAwait(false);
    }

    private Task<int> ExecuteAsync(string sql, Action<SqliteCommand> bind, CancellationToken ct) =>
        WriteAsync(
            async connection =>
            {
                await using var command = connection.Command(sql);
                bind(command);
                return await command.ExecuteNonQueryAsync(ct).ConfigureAwait(false);
            },
            ct);

    private async Task<IReadOnlyList<T>> QueryAsync<T>(string sql, Action<SqliteCommand> bind, Func<SqliteDataReader, T> map, CancellationToken ct)
    {
        try
        {
            await using var connection = await OpenAsync(ct).ConfigureAwait(false);
            await using var command = connection.Command(sql);
            bind(command);
            await using var reader = await command.ExecuteReaderAsync(ct).ConfigureAwait(false);
            var results = new List<T>();
            while (await reader.ReadAsync(ct).ConfigureAwait(false))
            {
                results.Add(map(reader));
            }

            return results;
        }
        catch (SqliteException ex) when (StoreFaults.IsFault(ex))
        {
            throw StoreFaults.Translate(ex, DatabasePath, starting: false);
        }
    }

    private async Task<T?> QuerySingleAsync<T>(string sql, Action<SqliteCommand> bind, Func<SqliteDataReader, T> map, CancellationToken ct)
        where T : class
    {
        var rows = await QueryAsync(sql, bind, map, ct).ConfigureAwait(false);
        return rows.Count == 0 ? null : rows[0];
    }

    private long NowMs() => UnixTime.ToMs(_time.GetUtcNow());

    private static void RequirePositive(int limit, string name)
    {
        if (limit <= 0)
        {
            throw new ArgumentOutOfRangeException(name, limit, "The limit must be at least 1.");
        }
    }
}
