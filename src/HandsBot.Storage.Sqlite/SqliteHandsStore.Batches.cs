using HandsBot.Core.Model;
using HandsBot.Core.Storage;
using HandsBot.Storage.Sqlite.Mapping;
using Microsoft.Data.Sqlite;

namespace HandsBot.Storage.Sqlite;

// Writes that belong together go in one transaction: fewer commits on the scheduler's hot path, and
// no state where half of them happened.
public sealed partial class SqliteHandsStore
{
    /// <inheritdoc />
    public Task RecordSchedulePassAsync(SchedulePass pass, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(pass);
        if (pass.Executions.Count == 0 && pass.NextDue.Count == 0) return Task.CompletedTask;
        return WriteAsync(
            async connection =>
            {
                await using var transaction = (SqliteTransaction)await connection.BeginTransactionAsync(ct).ConfigureAwait(false);
                foreach (var execution in pass.Executions)
                {
                    await using var insert = connection.Command(InsertExecutionSql, transaction);
                    BindExecution(insert, execution);
                    await insert.ExecuteNonQueryAsync(ct).ConfigureAwait(false);
                }
                var now = NowMs();
                foreach (var (hand, due) in pass.NextDue)
                {
                    await using var update = connection.Command("UPDATE hands SET next_due_at = @due, updated_at = @now WHERE name = @name;", transaction)
                        .With("@due", UnixTime.ToMs(due)).With("@now", now).With("@name", hand);
                    await update.ExecuteNonQueryAsync(ct).ConfigureAwait(false);
                }
                await transaction.CommitAsync(ct).ConfigureAwait(false);
                return true;
            },
            ct);
    }

    /// <inheritdoc />
    public Task CompleteRunAsync(ExecutionCompletion completion, string hand, ExecutionOutcome counted, string? countedError, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(completion);
        ArgumentNullException.ThrowIfNull(hand);
        return WriteAsync(
            async connection =>
            {
                await using var transaction = (SqliteTransaction)await connection.BeginTransactionAsync(ct).ConfigureAwait(false);
                await CompleteOnAsync(connection, transaction, completion, ct).ConfigureAwait(false);
                await using (var count = connection.Command(RecordRunSql, transaction))
                {
                    // A hand removed while it ran has no row to count on; its run is still recorded.
                    BindRecordRun(count.With("@name", hand).With("@now", NowMs()), counted, countedError, completion.CompletedAt);
                    await count.ExecuteNonQueryAsync(ct).ConfigureAwait(false);
                }
                await transaction.CommitAsync(ct).ConfigureAwait(false);
                return true;
            },
            ct);
    }
}
