using System.Globalization;
using HandsBot.Core.Storage;
using HandsBot.Storage.Sqlite.Mapping;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Logging;

namespace HandsBot.Storage.Sqlite;

// Opening the file for serving, and keeping it the file HandsBot opened: a second serving process is
// refused, and a file deleted or replaced while HandsBot runs is put back from the copy HandsBot still
// holds open, so nothing it wrote is lost and nothing goes to an unlinked file for long.
public sealed partial class SqliteHandsStore
{
    private const string ServingOwnerKey = "store.serving_owner";

    private readonly Lock _guardLock = new();
    private SqliteConnection? _guardConnection;
    private FileStream? _guardFile;
    private FileStream? _servingLock;

    /// <summary>The file holding the serving lock (beside the database).</summary>
    public string LockPath => DatabasePath + ".lock";

    /// <inheritdoc />
    public async Task AcquireForServingAsync(string owner, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(owner);
        if (_servingLock is not null)
        {
            return;
        }

        try
        {
            // An exclusive open is an advisory lock (flock) on Linux: the kernel drops it when the process
            // dies, so a crashed HandsBot never leaves a stale lock behind.
            _servingLock = new FileStream(LockPath, FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.None);
        }
        catch (IOException ex) when (ex is not FileNotFoundException and not DirectoryNotFoundException)
        {
            var other = await GetSettingAsync(ServingOwnerKey, ct).ConfigureAwait(false) ?? "another process";
            throw new StoreUnavailableException(
                $"{DatabasePath} is already used by a running HandsBot ({other}). Stop that one first, or give this one its own [storage] path. " +
                "One-shot commands (list, validate, run) work beside it.",
                transient: false,
                ex);
        }
        catch (UnauthorizedAccessException ex)
        {
            throw new StoreUnavailableException($"Cannot create {LockPath}: make {Path.GetDirectoryName(DatabasePath)} writable by the user running HandsBot.", transient: false, ex);
        }

        await SetSettingAsync(ServingOwnerKey, owner, ct).ConfigureAwait(false);
    }

    private void ReleaseServingLock()
    {
        _servingLock?.Dispose();
        _servingLock = null;
    }

    /// <inheritdoc />
    public async Task CheckHealthAsync(CancellationToken ct = default)
    {
        var identity = CheckIdentity();
        if (identity != FileIdentity.Same)
        {
            await RestoreAsync(identity, ct).ConfigureAwait(false);
        }

        await QueryAsync("SELECT 1 FROM hands LIMIT 1;", _ => { }, _ => 0, ct).ConfigureAwait(false);
    }

    private enum FileIdentity { Same, Deleted, Replaced, Unknown }

    /// <summary>Opens the guard: a connection and a file handle on the database, kept open while the store lives.</summary>
    private void OpenGuard()
    {
        lock (_guardLock)
        {
            if (_guardConnection is not null)
            {
                return;
            }

            var connection = new SqliteConnection(new SqliteConnectionStringBuilder { DataSource = DatabasePath, Mode = SqliteOpenMode.ReadWrite, Pooling = false }.ToString());
            connection.Open();
            // A connection opens the WAL and its shared memory at its first read; one that never read
            // cannot start reading once the file is unlinked (SQLITE_IOERR_FSTAT), and the guard must.
            using (var read = connection.Command("SELECT count(*) FROM sqlite_master;"))
            {
                read.ExecuteScalar();
            }

            _guardConnection = connection;
            _guardFile = OperatingSystem.IsLinux()
                ? new FileStream(DatabasePath, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete)
                : null;
        }
    }

    private void CloseGuard()
    {
        lock (_guardLock)
        {
            _guardConnection?.Dispose();
            _guardConnection = null;
            _guardFile?.Dispose();
            _guardFile = null;
        }
    }

    /// <summary>Whether the path still names the file the guard holds open (Linux: /proc/self/fd tells where a descriptor points).</summary>
    private FileIdentity CheckIdentity()
    {
        FileStream? guard;
        lock (_guardLock) guard = _guardFile;
        if (guard is null)
        {
            return FileIdentity.Unknown;
        }

        var fd = guard.SafeFileHandle.DangerousGetHandle().ToInt64().ToString(CultureInfo.InvariantCulture);
        var target = new FileInfo($"/proc/self/fd/{fd}").LinkTarget;
        if (target is null || string.Equals(target, DatabasePath, StringComparison.Ordinal))
        {
            return FileIdentity.Same;
        }

        return File.Exists(DatabasePath) ? FileIdentity.Replaced : FileIdentity.Deleted;
    }

    /// <summary>
    /// Puts HandsBot's database back at its path from the copy the guard holds open (which has every
    /// committed write); a file put there by someone else is moved aside, never deleted.
    /// </summary>
    private async Task RestoreAsync(FileIdentity identity, CancellationToken ct)
    {
        await _writeGate.WaitAsync(ct).ConfigureAwait(false);
        try
        {
            if (CheckIdentity() == FileIdentity.Same)
            {
                return;
            }

            var stamp = _time.GetUtcNow().UtcDateTime.ToString("yyyyMMdd'T'HHmmss'Z'", CultureInfo.InvariantCulture);
            var restoring = DatabasePath + ".restoring";
            SqliteConnection guard;
            lock (_guardLock) guard = _guardConnection!;
            try
            {
                File.Delete(restoring);
                using (var target = new SqliteConnection(new SqliteConnectionStringBuilder { DataSource = restoring, Mode = SqliteOpenMode.ReadWriteCreate, Pooling = false }.ToString()))
                {
                    target.Open();
                    guard.BackupDatabase(target);
                }

                SqliteConnection.ClearAllPools();
                string? movedTo = null;
                if (identity == FileIdentity.Replaced && File.Exists(DatabasePath))
                {
                    movedTo = DatabasePath + ".replaced-" + stamp;
                    File.Move(DatabasePath, movedTo);
                    // A WAL HandsBot holds open is its own (its content is in the copy just made): beside the
                    // moved file SQLite would replay it onto that file and wreck it. One HandsBot does not
                    // hold came with the replacing file and goes with it.
                    foreach (var suffix in new[] { "-wal", "-shm" })
                    {
                        if (IsOpenHere(DatabasePath + suffix))
                        {
                            File.Delete(DatabasePath + suffix);
                        }
                        else
                        {
                            MoveIfExists(DatabasePath + suffix, movedTo + suffix);
                        }
                    }
                }
                else
                {
                    // The old WAL belongs to the unlinked file; a new file must not replay it.
                    File.Delete(DatabasePath + "-wal");
                    File.Delete(DatabasePath + "-shm");
                }

                File.Move(restoring, DatabasePath, overwrite: true);
                CloseGuard();
                await using (var connection = await OpenAsync(ct).ConfigureAwait(false))
                await using (var wal = connection.Command("PRAGMA journal_mode = WAL;"))
                {
                    await wal.ExecuteScalarAsync(ct).ConfigureAwait(false);
                }

                OpenGuard();
                if (movedTo is null)
                {
                    Log.DatabaseRestoredAfterDelete(_logger, DatabasePath);
                }
                else
                {
                    Log.DatabaseRestoredAfterReplace(_logger, DatabasePath, movedTo);
                }
            }
            catch (Exception ex) when (ex is IOException or UnauthorizedAccessException or SqliteException)
            {
                Log.DatabaseRestoreFailed(_logger, DatabasePath, ex.Message);
                throw new StoreUnavailableException(
                    $"{DatabasePath} was {(identity == FileIdentity.Deleted ? "deleted" : "replaced")} while HandsBot was running and could not be put back ({ex.Message}); HandsBot retries. Free space or permissions in {Path.GetDirectoryName(DatabasePath)} may be the cause.",
                    transient: true,
                    ex);
            }
        }
        finally
        {
            _writeGate.Release();
        }
    }

    /// <summary>Whether this process holds <paramref name="path"/> open (Linux: a descriptor in /proc/self/fd points at it).</summary>
    private static bool IsOpenHere(string path)
    {
        try
        {
            return Directory.EnumerateFileSystemEntries("/proc/self/fd")
                .Any(fd => string.Equals(new FileInfo(fd).LinkTarget, path, StringComparison.Ordinal));
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            return false;
        }
    }

    private static void MoveIfExists(string from, string to)
    {
        if (File.Exists(from))
        {
            File.Move(from, to);
        }
    }
}
