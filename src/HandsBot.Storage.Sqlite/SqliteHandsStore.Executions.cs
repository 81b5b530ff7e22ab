using HandsBot.Core.Model;
using HandsBot.Core.Storage;
using HandsBot.Storage.Sqlite.Mapping;
using Microsoft.Data.Sqlite;

namespace HandsBot.Storage.Sqlite;

public sealed partial class SqliteHandsStore
{
    private const string ExecutionColumns = """
        id, hand, trigger, scheduled_for, started_at, completed_at, outcome, output, error, stderr,
        files, parent_id, requested_by, prompt, state
        """;

    private const string InsertExecutionSql = $"""
        INSERT INTO executions ({ExecutionColumns})
        VALUES (@id, @hand, @trigger, @scheduled_for, @started_at, @completed_at, @outcome, @output, @error, @stderr,
                @files, @parent_id, @requested_by, @prompt, @state);
        """;

    /// <summary>Inserts a new execution (usually running, outcome null). A duplicate id throws.</summary>
    public Task InsertExecutionAsync(ExecutionRecord execution, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(execution);
        return ExecuteAsync(InsertExecutionSql, c => BindExecution(c, execution), ct);
    }

    private static void BindExecution(SqliteCommand c, ExecutionRecord execution) =>
        c.With("@id", execution.Id)
         .With("@hand", execution.Hand)
         .With("@trigger", SnakeCaseEnum<RunTrigger>.ToText(execution.Trigger))
         .With("@scheduled_for", UnixTime.ToDb(execution.ScheduledFor))
         .With("@started_at", UnixTime.ToMs(execution.StartedAt))
         .With("@completed_at", UnixTime.ToDb(execution.CompletedAt))
         .With("@outcome", execution.Outcome is { } o ? SnakeCaseEnum<ExecutionOutcome>.ToText(o) : null)
         .With("@output", execution.Output)
         .With("@error", execution.Error)
         .With("@stderr", execution.Stderr)
         .With("@files", SqliteExtensions.ToJson(execution.Files))
         .With("@parent_id", execution.ParentId)
         .With("@requested_by", execution.RequestedBy)
         .With("@prompt", execution.Prompt)
         .With("@state", execution.State);

    /// <summary>
    /// Records the end of a run. Only an execution still running (outcome null) or waiting for approval is
    /// updated; a late completion of an execution already ended (e.g. marked interrupted) is ignored and logged.
    /// </summary>
    /// <exception cref="KeyNotFoundException">No execution has this id.</exception>
    public Task CompleteExecutionAsync(ExecutionCompletion completion, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(completion);
        return WriteAsync(connection => CompleteOnAsync(connection, null, completion, ct), ct);
    }

    /// <summary>The completion on an open connection (and transaction): true when the row was updated.</summary>
    private async Task<bool> CompleteOnAsync(SqliteConnection connection, SqliteTransaction? transaction, ExecutionCompletion completion, CancellationToken ct)
    {
        await using (var update = connection.Command(
            """
            UPDATE executions SET
                outcome = @outcome, completed_at = @completed_at, output = @output,
                error = @error, stderr = @stderr, files = @files
            WHERE id = @id AND (outcome IS NULL OR outcome = 'approval_pending');
            """,
            transaction))
        {
            update.With("@id", completion.Id)
                  .With("@outcome", SnakeCaseEnum<ExecutionOutcome>.ToText(completion.Outcome))
                  .With("@completed_at", UnixTime.ToMs(completion.CompletedAt))
                  .With("@output", completion.Output)
                  .With("@error", completion.Error)
                  .With("@stderr", completion.Stderr)
                  .With("@files", SqliteExtensions.ToJson(completion.Files));
            if (await update.ExecuteNonQueryAsync(ct).ConfigureAwait(false) == 1)
            {
                return true;
            }
        }

        await using var existing = connection.Command("SELECT outcome FROM executions WHERE id = @id;", transaction).With("@id", completion.Id);
        var outcome = await existing.ExecuteScalarAsync(ct).ConfigureAwait(false)
            ?? throw new KeyNotFoundException($"No execution with id '{completion.Id}' is in the store.");
        Log.LateCompletionIgnored(_logger, completion.Id, SnakeCaseEnum<ExecutionOutcome>.ToText(completion.Outcome), (string)outcome);
        return false;
    }

    /// <summary>Saves the prompt and/or conversation state; a null argument keeps the stored value.</summary>
    /// <exception cref="KeyNotFoundException">No execution has this id.</exception>
    public async Task SaveExecutionStateAsync(string id, string? prompt, string? state, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(id);
        var changed = await ExecuteAsync(
            "UPDATE executions SET prompt = COALESCE(@prompt, prompt), state = COALESCE(@state, state) WHERE id = @id;",
            c => c.With("@id", id).With("@prompt", prompt).With("@state", state),
            ct).ConfigureAwait(false);
        if (changed == 0)
        {
            throw new KeyNotFoundException($"No execution with id '{id}' is in the store.");
        }
    }

    public Task<ExecutionRecord?> GetExecutionAsync(string id, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(id);
        return QuerySingleAsync($"SELECT {ExecutionColumns} FROM executions WHERE id = @id;", c => c.With("@id", id), ReadExecution, ct);
    }

    /// <summary>Executions whose id starts with the prefix (case-insensitive; LIKE wildcards in it match literally), newest first.</summary>
    public Task<IReadOnlyList<ExecutionRecord>> FindExecutionsByPrefixAsync(string idPrefix, int limit, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(idPrefix);
        RequirePositive(limit, nameof(limit));
        return QueryAsync(
            $"""
            SELECT {ExecutionColumns} FROM executions
            WHERE id LIKE @pattern ESCAPE '\'
            ORDER BY started_at DESC, id DESC LIMIT @limit;
            """,
            c => c.With("@pattern", SqliteExtensions.StartsWithPattern(idPrefix)).With("@limit", limit),
            ReadExecution,
            ct);
    }

    public Task<IReadOnlyList<ExecutionRecord>> ListExecutionsAsync(string hand, int limit, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(hand);
        RequirePositive(limit, nameof(limit));
        return QueryAsync(
            $"SELECT {ExecutionColumns} FROM executions WHERE hand = @hand ORDER BY started_at DESC, id DESC LIMIT @limit;",
            c => c.With("@hand", hand).With("@limit", limit),
            ReadExecution,
            ct);
    }

    /// <summary>Executions with outcome null, oldest first.</summary>
    public Task<IReadOnlyList<ExecutionRecord>> ListRunningExecutionsAsync(CancellationToken ct = default) =>
        QueryAsync(
            $"SELECT {ExecutionColumns} FROM executions WHERE outcome IS NULL ORDER BY started_at, id;",
            _ => { },
            ReadExecution,
            ct);

    private static ExecutionRecord ReadExecution(SqliteDataReader r) => new()
    {
        Id = r.GetString(0),
        Hand = r.GetString(1),
        Trigger = r.GetEnum<RunTrigger>(2),
        ScheduledFor = r.GetNullableTime(3),
        StartedAt = r.GetTime(4),
        CompletedAt = r.GetNullableTime(5),
        Outcome = r.GetNullableEnum<ExecutionOutcome>(6),
        Output = r.GetNullableString(7),
        Error = r.GetNullableString(8),
        Stderr = r.GetNullableString(9),
        Files = r.GetStringList(10),
        ParentId = r.GetNullableString(11),
        RequestedBy = r.GetNullableString(12),
        Prompt = r.GetNullableString(13),
        State = r.GetNullableString(14),
    };
}
