using System.Text.Json;
using HandsBot.Core.Model;
using HandsBot.Core.Storage;
using HandsBot.Storage.Sqlite.Mapping;
using Microsoft.Data.Sqlite;

namespace HandsBot.Storage.Sqlite;

public sealed partial class SqliteHandsStore
{
    private const string ApprovalColumns = """
        id, reference, hand, execution_id, gate, action, description, summary, context, status,
        created_at, expires_at, auto_approve_at, resolved_at, resolved_by, reason
        """;

    private static async Task InsertApprovalOnAsync(SqliteConnection connection, SqliteTransaction transaction, ApprovalRecord approval, CancellationToken ct)
    {
        await using var insert = connection.Command(
            $"""
            INSERT INTO approvals ({ApprovalColumns})
            VALUES (@id, @reference, @hand, @execution_id, @gate, @action, @description, @summary, @context, @status,
                    @created_at, @expires_at, @auto_approve_at, @resolved_at, @resolved_by, @reason);
            """,
            transaction);
        insert.With("@id", approval.Id)
              .With("@reference", approval.Reference)
              .With("@hand", approval.Hand)
              .With("@execution_id", approval.ExecutionId)
              .With("@gate", approval.Gate)
              .With("@action", approval.Action)
              .With("@description", approval.Description)
              .With("@summary", approval.Summary)
              .With("@context", approval.ContextJson)
              .With("@status", SnakeCaseEnum<ApprovalStatus>.ToText(approval.Status))
              .With("@created_at", UnixTime.ToMs(approval.CreatedAt))
              .With("@expires_at", UnixTime.ToDb(approval.ExpiresAt))
              .With("@auto_approve_at", UnixTime.ToDb(approval.AutoApproveAt))
              .With("@resolved_at", UnixTime.ToDb(approval.ResolvedAt))
              .With("@resolved_by", approval.ResolvedBy)
              .With("@reason", approval.Reason);
        await insert.ExecuteNonQueryAsync(ct).ConfigureAwait(false);
    }

    public Task<ApprovalRecord?> GetApprovalAsync(string id, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(id);
        return QuerySingleAsync($"SELECT {ApprovalColumns} FROM approvals WHERE id = @id;", c => c.With("@id", id), ReadApproval, ct);
    }

    /// <summary>The approval with exactly this reference (case-sensitive).</summary>
    public Task<ApprovalRecord?> GetApprovalByReferenceAsync(string reference, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(reference);
        return QuerySingleAsync(
            $"SELECT {ApprovalColumns} FROM approvals WHERE reference = @reference;",
            c => c.With("@reference", reference),
            ReadApproval,
            ct);
    }

    /// <summary>
    /// Approvals whose reference starts with the prefix, ASCII case-insensitively; LIKE wildcards
    /// (<c>%</c>, <c>_</c>) in the prefix match only themselves. Newest first. Internal ids, which
    /// users never see, do not match.
    /// </summary>
    public Task<IReadOnlyList<ApprovalRecord>> FindApprovalsByPrefixAsync(string prefix, int limit, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(prefix);
        RequirePositive(limit, nameof(limit));
        return QueryAsync(
            $"""
            SELECT {ApprovalColumns} FROM approvals
            WHERE reference LIKE @pattern ESCAPE '\'
            ORDER BY created_at DESC, id DESC LIMIT @limit;
            """,
            c => c.With("@pattern", SqliteExtensions.StartsWithPattern(prefix)).With("@limit", limit),
            ReadApproval,
            ct);
    }

    /// <summary>Pending approvals, oldest first.</summary>
    public Task<IReadOnlyList<ApprovalRecord>> ListPendingApprovalsAsync(CancellationToken ct = default) =>
        QueryAsync(
            $"SELECT {ApprovalColumns} FROM approvals WHERE status = 'pending' ORDER BY created_at, id;",
            _ => { },
            ReadApproval,
            ct);

    public Task<IReadOnlyList<ApprovalRecord>> ListDecidedApprovalsAsync(int limit, CancellationToken ct = default)
    {
        RequirePositive(limit, nameof(limit));
        return QueryAsync(
            $"SELECT {ApprovalColumns} FROM approvals WHERE status <> 'pending' ORDER BY resolved_at DESC, id DESC LIMIT @limit;",
            c => c.With("@limit", limit),
            ReadApproval,
            ct);
    }

    /// <summary>The execution's approvals, oldest first.</summary>
    public Task<IReadOnlyList<ApprovalRecord>> ListApprovalsForExecutionAsync(string executionId, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(executionId);
        return QueryAsync(
            $"SELECT {ApprovalColumns} FROM approvals WHERE execution_id = @execution_id ORDER BY created_at, id;",
            c => c.With("@execution_id", executionId),
            ReadApproval,
            ct);
    }

    /// <inheritdoc />
    /// <exception cref="ArgumentException">The decision's status is <see cref="ApprovalStatus.Pending"/>.</exception>
    /// <exception cref="KeyNotFoundException">No approval has this id.</exception>
    public Task<bool> DecideApprovalAsync(ApprovalDecision decision, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(decision);
        if (decision.Status == ApprovalStatus.Pending)
        {
            throw new ArgumentException("An approval cannot be decided as Pending.", nameof(decision));
        }

        return InTransactionAsync(
            async (connection, transaction) =>
            {
                var payloads = JsonSerializer.Serialize(decision.DecidedPayloads, StoreJson.Default.IReadOnlyDictionaryStringString);
                var changed = await ExecAsync(
                    connection, transaction,
                    """
                    UPDATE approvals SET status = @status, resolved_by = @by, resolved_at = @at, reason = @reason, decided_payloads = @payloads
                    WHERE id = @id AND status = 'pending';
                    """,
                    ct,
                    ("@id", decision.ApprovalId),
                    ("@status", SnakeCaseEnum<ApprovalStatus>.ToText(decision.Status)),
                    ("@by", decision.DecidedBy),
                    ("@at", UnixTime.ToMs(decision.At)),
                    ("@reason", decision.Reason),
                    ("@payloads", payloads)).ConfigureAwait(false);
                if (changed != 1)
                {
                    await using var exists = connection.Command("SELECT 1 FROM approvals WHERE id = @id;", transaction).With("@id", decision.ApprovalId);
                    return await exists.ExecuteScalarAsync(ct).ConfigureAwait(false) is not null
                        ? false
                        : throw new KeyNotFoundException($"No approval with id '{decision.ApprovalId}' is in the store.");
                }

                var edits = new List<OutboxItem>();
                foreach (var message in await ReadApprovalMessagesAsync(connection, transaction, decision.ApprovalId, ct).ConfigureAwait(false))
                {
                    if (decision.DecidedPayloads.TryGetValue(message.Platform, out var payload))
                    {
                        edits.Add(DecidedEdit(message, payload, decision.At));
                    }
                }

                await EnqueueOnAsync(connection, transaction, edits, ct).ConfigureAwait(false);
                await EnqueueOnAsync(connection, transaction, decision.Outbox, ct).ConfigureAwait(false);
                foreach (var run in decision.Runs)
                {
                    await AdmitOnAsync(connection, transaction, run, decision.At, ct).ConfigureAwait(false);
                }

                await SettleExecutionAsync(connection, transaction, decision, ct).ConfigureAwait(false);
                return true;
            },
            ct);
    }

    /// <summary>Appends released files, and ends a run waiting for approval once none of its approvals is pending.</summary>
    private static async Task SettleExecutionAsync(SqliteConnection connection, SqliteTransaction transaction, ApprovalDecision decision, CancellationToken ct)
    {
        string executionId, hand;
        await using (var find = connection.Command("SELECT execution_id, hand FROM approvals WHERE id = @id;", transaction).With("@id", decision.ApprovalId))
        await using (var reader = await find.ExecuteReaderAsync(ct).ConfigureAwait(false))
        {
            await reader.ReadAsync(ct).ConfigureAwait(false);
            executionId = reader.GetString(0);
            hand = reader.GetString(1);
        }

        if (decision.Files.Count > 0)
        {
            await using var read = connection.Command("SELECT files FROM executions WHERE id = @id;", transaction).With("@id", executionId);
            if (await read.ExecuteScalarAsync(ct).ConfigureAwait(false) is string json)
            {
                var files = JsonSerializer.Deserialize(json, StoreJson.Default.ListString) ?? [];
                files.AddRange(decision.Files.Where(f => !files.Contains(f)));
                await ExecAsync(connection, transaction, "UPDATE executions SET files = @files WHERE id = @id;", ct, ("@id", executionId), ("@files", SqliteExtensions.ToJson(files))).ConfigureAwait(false);
            }
        }

        var settled = await ExecAsync(
            connection, transaction,
            """
            UPDATE executions SET outcome = 'success'
            WHERE id = @id AND outcome = 'approval_pending'
              AND NOT EXISTS (SELECT 1 FROM approvals WHERE execution_id = @id AND status = 'pending');
            """,
            ct, ("@id", executionId)).ConfigureAwait(false);
        if (settled == 1)
        {
            // The hand's last outcome said "waiting for approval" for this run: it is settled now.
            await ExecAsync(
                connection, transaction,
                """
                UPDATE hands SET last_outcome = 'success'
                WHERE name = @hand AND last_outcome = 'approval_pending'
                  AND last_run_at = (SELECT completed_at FROM executions WHERE id = @id);
                """,
                ct, ("@hand", hand), ("@id", executionId)).ConfigureAwait(false);
        }
    }

    /// <summary>The approval's messages in the order they were added.</summary>
    public Task<IReadOnlyList<ApprovalMessage>> ListApprovalMessagesAsync(string approvalId, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(approvalId);
        return QueryAsync(
            "SELECT approval_id, platform, chat_id, thread_id, message_id FROM approval_messages WHERE approval_id = @approval_id ORDER BY id;",
            c => c.With("@approval_id", approvalId),
            ReadApprovalMessage,
            ct);
    }

    private static async Task<List<ApprovalMessage>> ReadApprovalMessagesAsync(SqliteConnection connection, SqliteTransaction transaction, string approvalId, CancellationToken ct)
    {
        await using var select = connection.Command(
            "SELECT approval_id, platform, chat_id, thread_id, message_id FROM approval_messages WHERE approval_id = @approval_id ORDER BY id;",
            transaction).With("@approval_id", approvalId);
        await using var reader = await select.ExecuteReaderAsync(ct).ConfigureAwait(false);
        var messages = new List<ApprovalMessage>();
        while (await reader.ReadAsync(ct).ConfigureAwait(false))
        {
            messages.Add(ReadApprovalMessage(reader));
        }

        return messages;
    }

    /// <summary>The edit that shows the decision on one message that showed the request.</summary>
    private static OutboxItem DecidedEdit(ApprovalMessage message, string payload, DateTimeOffset at) => new()
    {
        IdempotencyKey = $"approval:{message.ApprovalId}:decided:{message.Platform}:{message.ChatId}:{message.ThreadId}:{message.MessageId}",
        Platform = message.Platform,
        ChatId = message.ChatId,
        ThreadId = message.ThreadId,
        Kind = OutboxKind.Edit,
        EditMessageId = message.MessageId,
        PayloadJson = payload,
        CreatedAt = at,
        NextAttemptAt = at,
        ApprovalId = message.ApprovalId,
    };

    private static ApprovalMessage ReadApprovalMessage(SqliteDataReader r) =>
        new(r.GetString(0), r.GetString(1), r.GetString(2), r.GetNullableString(3), r.GetString(4));

    private static ApprovalRecord ReadApproval(SqliteDataReader r) => new()
    {
        Id = r.GetString(0),
        Reference = r.GetString(1),
        Hand = r.GetString(2),
        ExecutionId = r.GetString(3),
        Gate = r.GetString(4),
        Action = r.GetString(5),
        Description = r.GetString(6),
        Summary = r.GetString(7),
        ContextJson = r.GetString(8),
        Status = r.GetEnum<ApprovalStatus>(9),
        CreatedAt = r.GetTime(10),
        ExpiresAt = r.GetNullableTime(11),
        AutoApproveAt = r.GetNullableTime(12),
        ResolvedAt = r.GetNullableTime(13),
        ResolvedBy = r.GetNullableString(14),
        Reason = r.GetNullableString(15),
    };
}
