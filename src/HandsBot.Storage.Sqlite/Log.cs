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

    [LoggerMessage(EventId = 4, Level = LogLevel.Warning, Message = "Ignored completion {Outcome} of execution {ExecutionId}: it already ended as {Existing}")]
    public static partial void LateCompletionIgnored(ILogger logger, string executionId, string outcome, string existing);
}
