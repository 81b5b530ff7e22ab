using Microsoft.Extensions.Logging;

namespace HandsBot.Storage.Sqlite;

internal static partial class Log
{
    [LoggerMessage(EventId = 1, Level = LogLevel.Information, Message = "Migrating database {Path} from schema version {From} to {To}")]
    public static partial void Migrating(ILogger logger, string path, long from, int to);

    [LoggerMessage(EventId = 2, Level = LogLevel.Information, Message = "Migrated database {Path} from schema version {From} to {To}: {Description}")]
    public static partial void MigrationApplied(ILogger logger, string path, int from, int to, string description);

    [LoggerMessage(EventId = 3, Level = LogLevel.Debug, Message = "Database {Path} is at the current schema version {Version}")]
    public static partial void SchemaUpToDate(ILogger logger, string path, long version);

    [LoggerMessage(EventId = 4, Level = LogLevel.Warning, Message = "Refused the result of run {ExecutionId} (attempt {Attempt} by {Owner}): the run is no longer held by that claim")]
    public static partial void StaleFinishRefused(ILogger logger, string executionId, int attempt, string owner);

    [LoggerMessage(EventId = 5, Level = LogLevel.Warning, Message = "The database {Path} was deleted while HandsBot was running; it was put back from the copy HandsBot held open, with everything written so far")]
    public static partial void DatabaseRestoredAfterDelete(ILogger logger, string path);

    [LoggerMessage(EventId = 6, Level = LogLevel.Warning, Message = "The database {Path} was replaced by another file while HandsBot was running; that file was moved to {MovedTo} and HandsBot's database put back. To switch databases, stop HandsBot first")]
    public static partial void DatabaseRestoredAfterReplace(ILogger logger, string path, string movedTo);

    [LoggerMessage(EventId = 7, Level = LogLevel.Error, Message = "The database {Path} went missing or was replaced, and putting it back failed: {Reason}; retrying")]
    public static partial void DatabaseRestoreFailed(ILogger logger, string path, string reason);
}
