using System.Globalization;
using System.Text.Json;
using HandsBot.Core.Storage;
using HandsBot.Storage.Sqlite.Mapping;
using Microsoft.Data.Sqlite;

namespace HandsBot.Storage.Sqlite;

public sealed partial class SqliteHandsStore
{
    private const string OutboxColumns = """
        id, idempotency_key, platform, chat_id, thread_id, kind, payload, edit_message_id, status, attempts,
        created_at, next_attempt_at, delivered_at, message_id, last_error, execution_id, approval_id,
        is_request, claimed_by, claim_until, claim_token, takeovers
        """;

    /// <summary>Adds the items whose key is new (their <see cref="OutboxItem.Id"/> is ignored: ids increase in insertion order).</summary>
    public Task<int> EnqueueAsync(IReadOnlyList<OutboxItem> items, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(items);
        if (items.Count == 0)
        {
            return Task.FromResult(0);
        }

        return InTransactionAsync((connection, transaction) => EnqueueOnAsync(connection, transaction, items, ct), ct);
    }

    private static async Task<int> EnqueueOnAsync(SqliteConnection connection, SqliteTransaction transaction, IReadOnlyList<OutboxItem> items, CancellationToken ct)
    {
        var added = 0;
        foreach (var item in items)
        {
            await using var insert = connection.Command(
                """
                INSERT INTO outbox (idempotency_key, platform, chat_id, thread_id, kind, payload, edit_message_id, status,
                                    attempts, created_at, next_attempt_at, delivered_at, message_id, last_error,
                                    execution_id, approval_id, is_request)
                VALUES (@key, @platform, @chat_id, @thread_id, @kind, @payload, @edit_message_id, @status,
                        @attempts, @created_at, @next_attempt_at, @delivered_at, @message_id, @last_error,
                        @execution_id, @approval_id, @is_request)
                ON CONFLICT (idempotency_key) DO NOTHING;
                """,
                transaction);
            insert.With("@key", item.IdempotencyKey)
                  .With("@platform", item.Platform)
                  .With("@chat_id", item.ChatId)
                  .With("@thread_id", item.ThreadId)
                  .With("@kind", SnakeCaseEnum<OutboxKind>.ToText(item.Kind))
                  .With("@payload", item.PayloadJson)
                  .With("@edit_message_id", item.EditMessageId)
                  .With("@status", SnakeCaseEnum<OutboxStatus>.ToText(item.Status))
                  .With("@attempts", item.Attempts)
                  .With("@created_at", UnixTime.ToMs(item.CreatedAt))
                  .With("@next_attempt_at", UnixTime.ToMs(item.NextAttemptAt))
                  .With("@delivered_at", UnixTime.ToDb(item.DeliveredAt))
                  .With("@message_id", item.MessageId)
                  .With("@last_error", item.LastError)
                  .With("@execution_id", item.ExecutionId)
                  .With("@approval_id", item.ApprovalId)
                  .With("@is_request", item.IsApprovalRequest);
            added += await insert.ExecuteNonQueryAsync(ct).ConfigureAwait(false);
        }

        return added;
    }

    /// <inheritdoc />
    public Task<IReadOnlyList<OutboxItem>> ClaimDueAsync(OutboxClaim claim, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(claim);
        RequirePositive(claim.Limit, nameof(claim));
        return WriteAsync<IReadOnlyList<OutboxItem>>(
            async connection =>
            {
                await using var command = connection.Command("");
                var platforms = PlatformFilter(command, claim.Platforms);
                command.CommandText = $"""
                    UPDATE outbox SET claimed_by = @owner, claim_until = @until, claim_token = claim_token + 1,
                        takeovers = takeovers + (claimed_by IS NOT NULL)
                    WHERE id IN (
                        SELECT id FROM outbox
                        WHERE id IN (SELECT MIN(id) FROM outbox WHERE status = 'pending' GROUP BY platform, chat_id, thread_id)
                          AND next_attempt_at <= @now
                          AND (claim_until IS NULL OR claim_until <= @now)
                          {platforms}
                        ORDER BY id LIMIT @limit)
                    RETURNING {OutboxColumns};
                    """;
                command.With("@owner", claim.Owner)
                       .With("@until", UnixTime.ToMs(claim.ClaimUntil))
                       .With("@now", UnixTime.ToMs(claim.Now))
                       .With("@limit", claim.Limit);
                var items = new List<OutboxItem>();
                await using var reader = await command.ExecuteReaderAsync(ct).ConfigureAwait(false);
                while (await reader.ReadAsync(ct).ConfigureAwait(false))
                {
                    items.Add(ReadOutboxItem(reader));
                }

                return [.. items.OrderBy(i => i.Id)];
            },
            ct);
    }

    /// <inheritdoc />
    public Task<bool> CompleteDeliveryAsync(DeliveryCompletion completion, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(completion);
        return InTransactionAsync(
            async (connection, transaction) =>
            {
                const string Held = "WHERE id = @id AND claim_token = @token AND status = 'pending'";
                var (sql, args) = completion.Kind switch
                {
                    DeliveryResultKind.Delivered => (
                        $"UPDATE outbox SET status = 'delivered', attempts = attempts + 1, delivered_at = @at, message_id = @message_id, claimed_by = NULL, claim_until = NULL {Held};",
                        new (string, object?)[] { ("@at", UnixTime.ToMs(completion.At)), ("@message_id", completion.MessageId ?? "") }),
                    DeliveryResultKind.Retry => (
                        $"UPDATE outbox SET attempts = attempts + 1, last_error = @error, next_attempt_at = @next, claimed_by = NULL, claim_until = NULL {Held};",
                        [("@error", completion.Error ?? "transient failure"), ("@next", UnixTime.ToMs(completion.NextAttemptAt ?? completion.At))]),
                    DeliveryResultKind.Failed => (
                        $"UPDATE outbox SET status = 'failed', attempts = attempts + 1, last_error = @error, failed_at = @at, claimed_by = NULL, claim_until = NULL {Held};",
                        [("@error", completion.Error ?? "failed"), ("@at", UnixTime.ToMs(completion.At))]),
                    _ => (
                        $"UPDATE outbox SET last_error = COALESCE(@error, last_error), claimed_by = NULL, claim_until = NULL {Held};",
                        [("@error", completion.Error)]),
                };
                var changed = await ExecAsync(connection, transaction, sql, ct, [("@id", completion.Id), ("@token", completion.ClaimToken), .. args]).ConfigureAwait(false);
                if (changed != 1)
                {
                    return false;
                }

                if (completion.Kind == DeliveryResultKind.Delivered)
                {
                    await RememberRequestMessageAsync(connection, transaction, completion, ct).ConfigureAwait(false);
                }

                return true;
            },
            ct);
    }

    /// <summary>
    /// A delivered approval request becomes one of the approval's messages; when the decision came first,
    /// the edit that shows it is queued now, in the same transaction, so no stale buttons remain.
    /// </summary>
    private static async Task RememberRequestMessageAsync(SqliteConnection connection, SqliteTransaction transaction, DeliveryCompletion completion, CancellationToken ct)
    {
        ApprovalMessage message;
        await using (var select = connection.Command(
            "SELECT approval_id, platform, chat_id, thread_id, message_id FROM outbox WHERE id = @id AND is_request = 1 AND approval_id IS NOT NULL;",
            transaction).With("@id", completion.Id))
        await using (var reader = await select.ExecuteReaderAsync(ct).ConfigureAwait(false))
        {
            if (!await reader.ReadAsync(ct).ConfigureAwait(false))
            {
                return;
            }

            message = ReadApprovalMessage(reader);
        }

        await ExecAsync(
            connection, transaction,
            """
            INSERT INTO approval_messages (approval_id, platform, chat_id, thread_id, message_id)
            SELECT @approval_id, @platform, @chat_id, @thread_id, @message_id WHERE EXISTS (SELECT 1 FROM approvals WHERE id = @approval_id)
            ON CONFLICT (approval_id, platform, chat_id, message_id) DO NOTHING;
            """,
            ct,
            ("@approval_id", message.ApprovalId),
            ("@platform", message.Platform),
            ("@chat_id", message.ChatId),
            ("@thread_id", message.ThreadId),
            ("@message_id", message.MessageId)).ConfigureAwait(false);

        await using var decided = connection.Command("SELECT decided_payloads FROM approvals WHERE id = @id AND status <> 'pending';", transaction)
            .With("@id", message.ApprovalId);
        if (await decided.ExecuteScalarAsync(ct).ConfigureAwait(false) is string json
            && JsonSerializer.Deserialize(json, StoreJson.Default.DictionaryStringString) is { } payloads
            && payloads.TryGetValue(message.Platform, out var payload))
        {
            await EnqueueOnAsync(connection, transaction, [DecidedEdit(message, payload, completion.At)], ct).ConfigureAwait(false);
        }
    }

    public Task<IReadOnlyList<string>> ListClaimOwnersAsync(CancellationToken ct = default) =>
        QueryAsync(
            "SELECT DISTINCT claimed_by FROM outbox WHERE status = 'pending' AND claimed_by IS NOT NULL;",
            _ => { },
            r => r.GetString(0),
            ct);

    public Task<int> ReleaseClaimsAsync(string owner, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(owner);
        return ExecuteAsync(
            "UPDATE outbox SET claimed_by = NULL, claim_until = NULL, takeovers = takeovers + 1 WHERE claimed_by = @owner AND status = 'pending';",
            c => c.With("@owner", owner),
            ct);
    }

    /// <inheritdoc />
    public async Task<DateTimeOffset?> NextDueAtAsync(IReadOnlyCollection<string> platforms, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(platforms);
        await using var connection = await OpenAsync(ct).ConfigureAwait(false);
        await using var command = connection.Command("");
        var filter = PlatformFilter(command, platforms);
        // A chat's head decides when the chat is next claimable: its retry time or the end of its claim.
        command.CommandText = $"""
            SELECT MIN(MAX(next_attempt_at, COALESCE(claim_until, 0))) FROM outbox
            WHERE id IN (SELECT MIN(id) FROM outbox WHERE status = 'pending' GROUP BY platform, chat_id, thread_id) {filter};
            """;
        var value = await command.ExecuteScalarAsync(ct).ConfigureAwait(false);
        return value is long ms ? UnixTime.FromMs(ms) : null;
    }

    /// <summary>The execution's outbox items in id order.</summary>
    public Task<IReadOnlyList<OutboxItem>> ListOutboxForExecutionAsync(string executionId, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(executionId);
        return QueryAsync(
            $"SELECT {OutboxColumns} FROM outbox WHERE execution_id = @execution_id ORDER BY id;",
            c => c.With("@execution_id", executionId),
            ReadOutboxItem,
            ct);
    }

    public Task<OutboxItem?> GetOutboxItemAsync(long id, CancellationToken ct = default) =>
        QuerySingleAsync($"SELECT {OutboxColumns} FROM outbox WHERE id = @id;", c => c.With("@id", id), ReadOutboxItem, ct);

    /// <inheritdoc />
    public async Task<IReadOnlyList<DeliveryProblem>> ListDeliveryProblemsAsync(string? hand, int limit, CancellationToken ct = default)
    {
        RequirePositive(limit, nameof(limit));
        // The last failure per hand and target, picked in SQL: a target that failed many times must not
        // crowd the other targets out of the limit.
        return await QueryAsync(
            """
            SELECT hand, platform, chat_id, thread_id, error, at, execution_id FROM (
                SELECT e.hand, o.platform, o.chat_id, o.thread_id, COALESCE(o.last_error, 'failed') AS error,
                       COALESCE(o.failed_at, o.created_at) AS at, o.execution_id, o.id,
                       ROW_NUMBER() OVER (PARTITION BY e.hand, o.platform, o.chat_id, o.thread_id ORDER BY o.id DESC) AS nth
                FROM outbox o JOIN executions e ON e.id = o.execution_id
                WHERE o.status = 'failed' AND (@hand IS NULL OR e.hand = @hand)
                  AND NOT EXISTS (
                      SELECT 1 FROM outbox d JOIN executions de ON de.id = d.execution_id
                      WHERE d.status = 'delivered' AND d.id > o.id AND de.hand = e.hand
                        AND d.platform = o.platform AND d.chat_id = o.chat_id AND d.thread_id IS o.thread_id))
            WHERE nth = 1
            ORDER BY id DESC LIMIT @limit;
            """,
            c => c.With("@hand", hand).With("@limit", limit),
            r => new DeliveryProblem(r.GetString(0), r.GetString(1), r.GetString(2), r.GetNullableString(3), r.GetString(4), r.GetTime(5), r.GetNullableString(6)),
            ct).ConfigureAwait(false);
    }

    /// <inheritdoc />
    public async Task<OutboxBacklog> GetBacklogAsync(DateTimeOffset now, CancellationToken ct = default)
    {
        var rows = await QueryAsync(
            "SELECT platform, COUNT(*), MIN(created_at) FROM outbox WHERE status = 'pending' GROUP BY platform;",
            _ => { },
            r => (Platform: r.GetString(0), Count: r.GetInt32(1), Oldest: r.GetTime(2)),
            ct).ConfigureAwait(false);
        var oldest = rows.Count == 0 ? now : rows.Min(r => r.Oldest);
        return new OutboxBacklog(rows.Sum(r => r.Count), oldest < now ? now - oldest : TimeSpan.Zero, rows.ToDictionary(r => r.Platform, r => r.Count));
    }

    /// <summary>An "AND platform IN (…)" clause with its parameters added to <paramref name="command"/>.</summary>
    private static string PlatformFilter(SqliteCommand command, IReadOnlyCollection<string> platforms)
    {
        if (platforms.Count == 0)
        {
            return "AND 0";
        }

        var names = platforms.Select((p, i) =>
        {
            var name = "@x" + i.ToString(CultureInfo.InvariantCulture);
            command.With(name, p);
            return name;
        });
        return $"AND platform IN ({string.Join(", ", names)})";
    }

    private static OutboxItem ReadOutboxItem(SqliteDataReader r) => new()
    {
        Id = r.GetInt64(0),
        IdempotencyKey = r.GetString(1),
        Platform = r.GetString(2),
        ChatId = r.GetString(3),
        ThreadId = r.GetNullableString(4),
        Kind = r.GetEnum<OutboxKind>(5),
        PayloadJson = r.GetString(6),
        EditMessageId = r.GetNullableString(7),
        Status = r.GetEnum<OutboxStatus>(8),
        Attempts = r.GetInt32(9),
        CreatedAt = r.GetTime(10),
        NextAttemptAt = r.GetTime(11),
        DeliveredAt = r.GetNullableTime(12),
        MessageId = r.GetNullableString(13),
        LastError = r.GetNullableString(14),
        ExecutionId = r.GetNullableString(15),
        ApprovalId = r.GetNullableString(16),
        IsApprovalRequest = r.GetFlag(17),
        ClaimedBy = r.GetNullableString(18),
        ClaimUntil = r.GetNullableTime(19),
        ClaimToken = r.GetInt64(20),
        Takeovers = r.GetInt32(21),
    };
}
