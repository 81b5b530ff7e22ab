using HandsBot.Core.Engine;
using HandsBot.Core.Model;
using HandsBot.Core.Storage;
using HandsBot.Storage.Sqlite.Mapping;
using Microsoft.Data.Sqlite;

namespace HandsBot.Storage.Sqlite;

public sealed partial class SqliteHandsStore
{
    private const string ExecutionColumns = """
        id, hand, trigger, scheduled_for, started_at, completed_at, outcome, output, error, stderr,
        files, parent_id, requested_by, prompt, state, run_state, requested_at, reply_to, approval_id, delivery_id,
        attempt, owner, lease_until, alive_at, pid, pid_start, cancel_requested, output_truncated,
        payload, payload_type, chain_depth
        """;

    // The same columns without the large ones, for listings of active runs.
    private const string ActiveColumns = """
        id, hand, trigger, scheduled_for, started_at, completed_at, outcome, NULL, error, NULL,
        files, parent_id, requested_by, NULL, NULL, run_state, requested_at, reply_to, approval_id, delivery_id,
        attempt, owner, lease_until, alive_at, pid, pid_start, cancel_requested, output_truncated,
        NULL, payload_type, chain_depth
        """;

    private const string InsertExecutionSql = $"""
        INSERT INTO executions ({ExecutionColumns})
        VALUES (@id, @hand, @trigger, @scheduled_for, @started_at, @completed_at, @outcome, @output, @error, @stderr,
                @files, @parent_id, @requested_by, @prompt, @state, @run_state, @requested_at, @reply_to, @approval_id, @delivery_id,
                @attempt, @owner, @lease_until, @alive_at, @pid, @pid_start, @cancel_requested, @output_truncated,
                @payload, @payload_type, @chain_depth);
        """;

    /// <summary>Inserts an execution as given. A duplicate id throws.</summary>
    public Task InsertExecutionAsync(ExecutionRecord execution, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(execution);
        return ExecuteAsync(InsertExecutionSql, c => BindExecution(c, execution), ct);
    }

    /// <inheritdoc />
    public Task<IReadOnlyList<AdmitResult>> AdmitAsync(AdmissionBatch batch, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(batch);
        return InTransactionAsync<IReadOnlyList<AdmitResult>>(
            async (connection, transaction) =>
            {
                var results = new List<AdmitResult>(batch.Admissions.Count);
                foreach (var admission in batch.Admissions)
                {
                    results.Add(await AdmitOnAsync(connection, transaction, admission, batch.Now, ct).ConfigureAwait(false));
                }

                foreach (var record in batch.Records)
                {
                    await using var insert = connection.Command(InsertExecutionSql.Replace("INSERT INTO", "INSERT OR IGNORE INTO", StringComparison.Ordinal), transaction);
                    BindExecution(insert, record);
                    await insert.ExecuteNonQueryAsync(ct).ConfigureAwait(false);
                }

                foreach (var (hand, due) in batch.NextDue)
                {
                    await using var update = connection.Command("UPDATE hands SET next_due_at = @due, updated_at = @now WHERE name = @name;", transaction)
                        .With("@due", UnixTime.ToMs(due)).With("@now", NowMs()).With("@name", hand);
                    await update.ExecuteNonQueryAsync(ct).ConfigureAwait(false);
                }

                return results;
            },
            ct);
    }

    /// <summary>One admission inside an open transaction: duplicate check, overlap policy, insert.</summary>
    private async Task<AdmitResult> AdmitOnAsync(SqliteConnection connection, SqliteTransaction transaction, RunAdmission admission, DateTimeOffset now, CancellationToken ct)
    {
        var run = admission.Run;
        if (await FindRepeatAsync(connection, transaction, run, ct).ConfigureAwait(false) is { } existing)
        {
            return new AdmitResult(AdmitStatus.Duplicate, existing);
        }

        var active = new List<OverlapRules.ActiveRun>();
        if (admission.Overlap is not null)
        {
            await using var select = connection.Command(
                "SELECT id, run_state FROM executions WHERE hand = @hand AND run_state <> 'done' AND trigger <> 'approval' ORDER BY requested_at, id;",
                transaction).With("@hand", run.Hand);
            await using var reader = await select.ExecuteReaderAsync(ct).ConfigureAwait(false);
            while (await reader.ReadAsync(ct).ConfigureAwait(false))
            {
                active.Add(new OverlapRules.ActiveRun(reader.GetString(0), reader.GetEnum<RunState>(1)));
            }
        }

        var decision = OverlapRules.Decide(admission.Overlap, active);
        var at = UnixTime.ToMs(now);
        foreach (var id in decision.StopRunning)
        {
            await ExecAsync(connection, transaction, "UPDATE executions SET cancel_requested = 1 WHERE id = @id AND run_state = 'running';", ct, ("@id", id)).ConfigureAwait(false);
        }

        foreach (var id in decision.CancelReady)
        {
            await ExecAsync(
                connection, transaction,
                "UPDATE executions SET run_state = 'done', outcome = 'cancelled', completed_at = @at, error = @error WHERE id = @id AND run_state = 'ready';",
                ct, ("@id", id), ("@at", at), ("@error", $"replaced by run {Short(run.Id)} before it started (overlap = replace)")).ConfigureAwait(false);
        }

        foreach (var id in decision.DropQueued)
        {
            await ExecAsync(
                connection, transaction,
                "UPDATE executions SET run_state = 'done', outcome = 'skipped', completed_at = @at, error = @error WHERE id = @id AND run_state = 'queued';",
                ct, ("@id", id), ("@at", at), ("@error", $"replaced by run {Short(run.Id)} while queued (overlap = replace)")).ConfigureAwait(false);
        }

        var record = run with { RequestedAt = run.RequestedAt ?? now, StartedAt = now };
        record = decision.Verdict switch
        {
            OverlapRules.Verdict.Ready => record with { RunState = RunState.Ready, Outcome = null },
            OverlapRules.Verdict.Queued => record with { RunState = RunState.Queued, Outcome = null },
            _ => record with
            {
                RunState = RunState.Done,
                Outcome = ExecutionOutcome.Skipped,
                CompletedAt = now,
                Error = OverlapRules.SkipReason(admission.Overlap!.Value, decision.Blocking!),
            },
        };
        await using (var insert = connection.Command(InsertExecutionSql, transaction))
        {
            BindExecution(insert, record);
            await insert.ExecuteNonQueryAsync(ct).ConfigureAwait(false);
        }

        var status = decision.Verdict switch
        {
            OverlapRules.Verdict.Ready => AdmitStatus.Ready,
            OverlapRules.Verdict.Queued => AdmitStatus.Queued,
            _ => AdmitStatus.Skipped,
        };
        return new AdmitResult(status, record.Id, decision.Blocking) { CancelRequested = decision.StopRunning };
    }

    /// <summary>The run an earlier request with the same slot, delivery id or approval created, if any.</summary>
    private static async Task<string?> FindRepeatAsync(SqliteConnection connection, SqliteTransaction transaction, ExecutionRecord run, CancellationToken ct)
    {
        (string Sql, (string, object?)[] Args)? probe =
            run.Trigger == RunTrigger.Schedule && run.ScheduledFor is { } slot
                ? ("SELECT id FROM executions WHERE hand = @hand AND trigger = 'schedule' AND scheduled_for = @slot;", [("@hand", run.Hand), ("@slot", UnixTime.ToMs(slot))])
            : run.DeliveryId is { } delivery
                ? ("SELECT id FROM executions WHERE hand = @hand AND delivery_id = @delivery;", [("@hand", run.Hand), ("@delivery", delivery)])
            : run.ApprovalId is { } approval
                ? ("SELECT id FROM executions WHERE approval_id = @approval;", [("@approval", approval)])
            : run.Trigger == RunTrigger.Event && run.ParentId is { } parent
                ? ("SELECT id FROM executions WHERE trigger = 'event' AND parent_id = @parent AND hand = @hand;", [("@parent", parent), ("@hand", run.Hand)])
            : null;
        if (probe is not { } p)
        {
            return null;
        }

        await using var command = connection.Command(p.Sql, transaction);
        foreach (var (name, value) in p.Args)
        {
            command.With(name, value);
        }

        return await command.ExecuteScalarAsync(ct).ConfigureAwait(false) as string;
    }

    /// <inheritdoc />
    public Task<IReadOnlyList<ExecutionRecord>> ClaimAsync(RunClaim claim, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(claim);
        if (claim.Limit <= 0)
        {
            return Task.FromResult<IReadOnlyList<ExecutionRecord>>([]);
        }

        return WriteAsync<IReadOnlyList<ExecutionRecord>>(
            async connection =>
            {
                await using var command = connection.Command(
                    $"""
                    UPDATE executions SET run_state = 'running', owner = @owner, lease_until = @until, alive_at = @now,
                        attempt = attempt + 1, started_at = @now, pid = NULL, pid_start = NULL
                    WHERE id IN (SELECT id FROM executions WHERE run_state = 'ready' AND (@only IS NULL OR id = @only) ORDER BY requested_at, id LIMIT @limit)
                    RETURNING {ExecutionColumns};
                    """);
                command.With("@owner", claim.Owner)
                       .With("@until", UnixTime.ToMs(claim.LeaseUntil))
                       .With("@now", UnixTime.ToMs(claim.Now))
                       .With("@limit", claim.Limit)
                       .With("@only", claim.OnlyId);
                var claimed = new List<ExecutionRecord>();
                await using var reader = await command.ExecuteReaderAsync(ct).ConfigureAwait(false);
                while (await reader.ReadAsync(ct).ConfigureAwait(false))
                {
                    claimed.Add(ReadExecution(reader));
                }

                return [.. claimed.OrderBy(r => r.RequestedAt).ThenBy(r => r.Id, StringComparer.Ordinal)];
            },
            ct);
    }

    /// <inheritdoc />
    public async Task<bool> RecordProcessAsync(string id, int attempt, int pid, long pidStartTime, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(id);
        var changed = await ExecuteAsync(
            "UPDATE executions SET pid = @pid, pid_start = @start WHERE id = @id AND attempt = @attempt AND run_state = 'running';",
            c => c.With("@id", id).With("@attempt", attempt).With("@pid", pid).With("@start", pidStartTime),
            ct).ConfigureAwait(false);
        return changed == 1;
    }

    /// <inheritdoc />
    public Task<HeartbeatResult> HeartbeatAsync(string owner, IReadOnlyCollection<string> holding, DateTimeOffset now, DateTimeOffset leaseUntil, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(owner);
        ArgumentNullException.ThrowIfNull(holding);
        return InTransactionAsync(
            async (connection, transaction) =>
            {
                await ExecAsync(
                    connection, transaction,
                    "UPDATE executions SET lease_until = @until, alive_at = @now WHERE owner = @owner AND run_state = 'running';",
                    ct, ("@owner", owner), ("@until", UnixTime.ToMs(leaseUntil)), ("@now", UnixTime.ToMs(now))).ConfigureAwait(false);
                var held = new HashSet<string>(StringComparer.Ordinal);
                var cancel = new List<string>();
                await using var select = connection.Command("SELECT id, cancel_requested FROM executions WHERE owner = @owner AND run_state = 'running';", transaction)
                    .With("@owner", owner);
                await using var reader = await select.ExecuteReaderAsync(ct).ConfigureAwait(false);
                while (await reader.ReadAsync(ct).ConfigureAwait(false))
                {
                    held.Add(reader.GetString(0));
                    if (reader.GetFlag(1))
                    {
                        cancel.Add(reader.GetString(0));
                    }
                }

                return new HeartbeatResult(cancel, [.. holding.Where(id => !held.Contains(id))]);
            },
            ct);
    }

    /// <inheritdoc />
    public Task<bool> FinishAsync(RunFinish finish, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(finish);
        return InTransactionAsync(
            async (connection, transaction) =>
            {
                await using (var update = connection.Command(
                    """
                    UPDATE executions SET run_state = 'done', outcome = @outcome, completed_at = @at, output = @output,
                        output_truncated = @truncated, error = @error, stderr = @stderr, files = @files,
                        prompt = COALESCE(@prompt, prompt), state = COALESCE(@state, state), lease_until = NULL, alive_at = @at
                    WHERE id = @id AND attempt = @attempt AND owner = @owner AND run_state = 'running';
                    """,
                    transaction))
                {
                    update.With("@id", finish.Id)
                          .With("@attempt", finish.Attempt)
                          .With("@owner", finish.Owner)
                          .With("@outcome", SnakeCaseEnum<ExecutionOutcome>.ToText(finish.Outcome))
                          .With("@at", UnixTime.ToMs(finish.CompletedAt))
                          .With("@output", finish.Output)
                          .With("@truncated", finish.OutputTruncated)
                          .With("@error", finish.Error)
                          .With("@stderr", finish.Stderr)
                          .With("@files", SqliteExtensions.ToJson(finish.Files))
                          .With("@prompt", finish.Prompt)
                          .With("@state", finish.State);
                    if (await update.ExecuteNonQueryAsync(ct).ConfigureAwait(false) != 1)
                    {
                        Log.StaleFinishRefused(_logger, finish.Id, finish.Attempt, finish.Owner);
                        return false;
                    }
                }

                await CountRunAsync(connection, transaction, finish.Hand, finish.Outcome, finish.Counted, finish.CountedError, finish.CompletedAt, ct).ConfigureAwait(false);
                foreach (var approval in finish.Approvals)
                {
                    await InsertApprovalOnAsync(connection, transaction, approval, ct).ConfigureAwait(false);
                }

                await EnqueueOnAsync(connection, transaction, finish.Outbox, ct).ConfigureAwait(false);
                foreach (var trigger in finish.Triggers)
                {
                    await AdmitOnAsync(connection, transaction, trigger, finish.CompletedAt, ct).ConfigureAwait(false);
                }

                await PromoteQueuedAsync(connection, transaction, finish.Hand, ct).ConfigureAwait(false);
                return true;
            },
            ct);
    }

    /// <inheritdoc />
    public Task<bool> ReleaseLostAsync(LostRun lost, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(lost);
        return InTransactionAsync(
            async (connection, transaction) =>
            {
                if (lost.Action == LostRunAction.Retry)
                {
                    return await ExecAsync(
                        connection, transaction,
                        """
                        UPDATE executions SET run_state = 'ready', owner = NULL, lease_until = NULL, pid = NULL, pid_start = NULL, error = @reason
                        WHERE id = @id AND attempt = @attempt AND run_state = 'running';
                        """,
                        ct, ("@id", lost.Id), ("@attempt", lost.Attempt), ("@reason", lost.Reason)).ConfigureAwait(false) == 1;
                }

                // The run ends when it was last known alive, not when somebody noticed it was gone.
                var changed = await ExecAsync(
                    connection, transaction,
                    """
                    UPDATE executions SET run_state = 'done', outcome = 'interrupted', completed_at = COALESCE(alive_at, started_at),
                        error = @reason, lease_until = NULL
                    WHERE id = @id AND attempt = @attempt AND run_state = 'running';
                    """,
                    ct, ("@id", lost.Id), ("@attempt", lost.Attempt), ("@reason", lost.Reason)).ConfigureAwait(false);
                if (changed != 1)
                {
                    return false;
                }

                await using (var ended = connection.Command("SELECT completed_at FROM executions WHERE id = @id;", transaction).With("@id", lost.Id))
                {
                    var at = UnixTime.FromMs((long)(await ended.ExecuteScalarAsync(ct).ConfigureAwait(false))!);
                    await CountRunAsync(connection, transaction, lost.Hand, ExecutionOutcome.Interrupted, ExecutionOutcome.Interrupted, lost.Reason, at, ct).ConfigureAwait(false);
                }

                await EnqueueOnAsync(connection, transaction, lost.Outbox, ct).ConfigureAwait(false);
                await PromoteQueuedAsync(connection, transaction, lost.Hand, ct).ConfigureAwait(false);
                return true;
            },
            ct);
    }

    /// <inheritdoc />
    public async Task<bool> DropQueuedAsync(string hand, string reason, DateTimeOffset now, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(hand);
        var changed = await ExecuteAsync(
            "UPDATE executions SET run_state = 'done', outcome = 'skipped', completed_at = @at, error = @reason WHERE hand = @hand AND run_state = 'queued';",
            c => c.With("@hand", hand).With("@at", UnixTime.ToMs(now)).With("@reason", reason),
            ct).ConfigureAwait(false);
        return changed > 0;
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
            $"SELECT {ExecutionColumns} FROM executions WHERE hand = @hand ORDER BY COALESCE(requested_at, started_at) DESC, started_at DESC, id DESC LIMIT @limit;",
            c => c.With("@hand", hand).With("@limit", limit),
            ReadExecution,
            ct);
    }

    public Task<IReadOnlyList<ExecutionRecord>> ListActiveRunsAsync(CancellationToken ct = default) =>
        QueryAsync(
            $"SELECT {ActiveColumns} FROM executions WHERE run_state <> 'done' ORDER BY requested_at, id;",
            _ => { },
            ReadExecution,
            ct);

    /// <summary>Counts a finished run on its hand: runs+1, successes or failures+1, last run, last error and last outcome.</summary>
    private async Task CountRunAsync(SqliteConnection connection, SqliteTransaction transaction, string hand, ExecutionOutcome shown, ExecutionOutcome counted, string? error, DateTimeOffset at, CancellationToken ct)
    {
        // A hand removed while it ran has no row to count on; its run is still recorded.
        await ExecAsync(
            connection, transaction,
            """
            UPDATE hands SET
                runs = runs + 1,
                successes = successes + @success,
                failures = failures + (1 - @success),
                last_run_at = @at,
                last_error = @error,
                last_outcome = @outcome,
                updated_at = @now
            WHERE name = @name;
            """,
            ct,
            ("@name", hand),
            ("@success", counted == ExecutionOutcome.Success ? 1 : 0),
            ("@at", UnixTime.ToMs(at)),
            ("@error", counted == ExecutionOutcome.Success ? null : error),
            ("@outcome", SnakeCaseEnum<ExecutionOutcome>.ToText(shown)),
            ("@now", NowMs())).ConfigureAwait(false);
    }

    /// <summary>The hand's oldest queued run becomes ready once none of its runs is ready or running.</summary>
    private static Task<int> PromoteQueuedAsync(SqliteConnection connection, SqliteTransaction transaction, string hand, CancellationToken ct) =>
        ExecAsync(
            connection, transaction,
            """
            UPDATE executions SET run_state = 'ready'
            WHERE id = (SELECT id FROM executions WHERE hand = @hand AND run_state = 'queued' ORDER BY requested_at, id LIMIT 1)
              AND NOT EXISTS (SELECT 1 FROM executions WHERE hand = @hand AND run_state IN ('ready', 'running') AND trigger <> 'approval');
            """,
            ct, ("@hand", hand));

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
         .With("@state", execution.State)
         .With("@run_state", SnakeCaseEnum<RunState>.ToText(execution.RunState))
         .With("@requested_at", UnixTime.ToDb(execution.RequestedAt))
         .With("@reply_to", execution.ReplyTo)
         .With("@approval_id", execution.ApprovalId)
         .With("@delivery_id", execution.DeliveryId)
         .With("@attempt", execution.Attempt)
         .With("@owner", execution.Owner)
         .With("@lease_until", UnixTime.ToDb(execution.LeaseUntil))
         .With("@alive_at", UnixTime.ToDb(execution.AliveAt))
         .With("@pid", execution.Pid)
         .With("@pid_start", execution.PidStartTime)
         .With("@cancel_requested", execution.CancelRequested)
         .With("@output_truncated", execution.OutputTruncated)
         .With("@payload", execution.Payload)
         .With("@payload_type", execution.PayloadType)
         .With("@chain_depth", execution.ChainDepth);

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
        RunState = r.GetEnum<RunState>(15),
        RequestedAt = r.GetNullableTime(16),
        ReplyTo = r.GetNullableString(17),
        ApprovalId = r.GetNullableString(18),
        DeliveryId = r.GetNullableString(19),
        Attempt = r.GetInt32(20),
        Owner = r.GetNullableString(21),
        LeaseUntil = r.GetNullableTime(22),
        AliveAt = r.GetNullableTime(23),
        Pid = r.IsDBNull(24) ? null : r.GetInt32(24),
        PidStartTime = r.IsDBNull(25) ? null : r.GetInt64(25),
        CancelRequested = r.GetFlag(26),
        OutputTruncated = r.GetFlag(27),
        Payload = r.IsDBNull(28) ? null : (byte[])r.GetValue(28),
        PayloadType = r.GetNullableString(29),
        ChainDepth = r.GetInt32(30),
    };

    private static string Short(string id) => id.Length <= 8 ? id : id[..8];
}
