using HandsBot.Core.Storage;
using Microsoft.Data.Sqlite;

namespace HandsBot.Storage.Sqlite;

/// <summary>
/// SQLite errors an operator can fix, as one sentence that names the file and what to do. Everything else
/// (a constraint, a bug) stays a <see cref="SqliteException"/>.
/// </summary>
internal static class StoreFaults
{
    private const int Busy = 5;
    private const int Locked = 6;
    private const int ReadOnly = 8;
    private const int IoError = 10;
    private const int Corrupt = 11;
    private const int Full = 13;
    private const int CantOpen = 14;
    private const int NotADatabase = 26;

    public static bool IsFault(SqliteException ex) =>
        ex.SqliteErrorCode is Busy or Locked or ReadOnly or IoError or Corrupt or Full or CantOpen or NotADatabase;

    public static StoreUnavailableException Translate(SqliteException ex, string path, bool starting)
    {
        var folder = Path.GetDirectoryName(path) ?? ".";
        return ex.SqliteErrorCode switch
        {
            Busy or Locked => new StoreUnavailableException(
                $"{path} is locked by another program; HandsBot retries. If it stays locked, find what holds it (fuser {path}).", transient: true, ex),
            ReadOnly => new StoreUnavailableException(
                $"{path} is read-only: make it and {folder} writable by the user running HandsBot.", transient: !starting, ex),
            Full => new StoreUnavailableException(
                $"The disk holding {path} is full: free some space there; HandsBot keeps what it has not written and retries.", transient: true, ex),
            IoError => new StoreUnavailableException(
                $"Reading or writing {path} failed (disk error: {ex.Message}); HandsBot retries. Check the disk and free space.", transient: true, ex),
            CantOpen => new StoreUnavailableException(
                starting
                    ? $"Cannot open {path}: check that {folder} exists and is writable by the user running HandsBot."
                    : $"Cannot open {path}: the file or its folder went missing or became unreadable; HandsBot retries.",
                transient: !starting, ex),
            Corrupt or NotADatabase => new StoreUnavailableException(
                $"{path} is not a HandsBot database or is damaged: point [storage] path at another file, or restore it from a backup.", transient: false, ex),
            _ => new StoreUnavailableException($"{path}: {ex.Message}", transient: true, ex),
        };
    }

    public static StoreUnavailableException FolderNotWritable(string path, Exception ex) =>
        new($"Cannot create {Path.GetDirectoryName(path)} for the database {path}: {ex.Message} Make the folder writable by the user running HandsBot, or set [storage] path.", transient: false, ex);
}
