using HandsBot.Core.Storage;
using HandsBot.Storage.Sqlite.Mapping;
using Microsoft.Data.Sqlite;

namespace HandsBot.Storage.Sqlite;

public sealed partial class SqliteHandsStore
{
    private const string OutboxColumns = """
        id, idempotency_key, platform, chat_id, thread_id, kind, payload, edit_message_id, status, attempts,
        created_at, next_attempt_at, delivered_at, message_id, last_error, execution_id, approval_id
        """;

    /// <summary>
    /// Adds the item (its <see cref="OutboxItem.Id"/> is ignored: the store assigns increasing ids).
    /// Returns false and changes nothing when the idempotency key is already present.
    /// </summary>
    public Task<bool> EnqueueAsync(OutboxItem item, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(item);
        return WriteAsync(
            async connection =>
            {
                await using var insert = connection.Command(
                    """
                    INSERT INTO outbox (idempotency_key, platform, chat_id, thread_id, kind, payload, edit_message_id, status,
                                        attempts, created_at, next_attempt_at, delivered_at, message_id, last_error,
                                        execution_id, approval_id)
                    VALUES (@key, @platform, @chat_id, @thread_id, @kind, @payload, @edit_message_id, @status,
                            @attempts, @created_at, @next_attempt_at, @delivered_at, @message_id, @last_error,
                            @execution_id, @approval_id)
                    ON CONFLICT (idempotency_key) DO NOTHING;
                    """);
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
                      .With("@approval_id", item.ApprovalId);
                return await insert.ExecuteNonQueryAsync(ct).ConfigureAwait(false) == 1;
            },
            ct);
    }

    /// <summary>
    /// For each ordering key (platform, chat, thread) only its oldest pending item (lowest id), and only when
    /// that item is due at <paramref name="now"/>: a chat's messages go out in order, and an item waiting for a
    /// retry holds back the items behind it in the same chat but not other chats. Lowest id first.
    /// </summary>
    public Task<IReadOnlyList<OutboxItem>> ListDueAsync(DateTimeOffset now, int limit, CancellationToken ct = default)
    {
        RequirePositive(limit, nameof(limit));
        return QueryAsync(
            $"""
            SELECT {OutboxColumns} FROM outbox
            WHERE id IN (SELECT MIN(id) FROM outbox WHERE status = 'pending' GROUP BY platform, chat_id, thread_id)
              AND next_attempt_at <= @now
            ORDER BY id LIMIT @limit;
            """,
            c => c.With("@now", UnixTime.ToMs(now)).With("@limit", limit),
            ReadOutboxItem,
            ct);
    }

    public async Task<DateTimeOffset?> NextPendingAtAsync(CancellationToken ct = default)
    {
        var rows = await QueryAsync(
            "SELECT MIN(next_attempt_at) FROM outbox WHERE status = 'pending';",
            _ => { },
            r => r.GetNullableTime(0),
            ct).ConfigureAwait(false);
        return rows[0];
    }

    /// <summary>Marks the item delivered with the platform's message id; counts the attempt.</summary>
    /// <exception cref="KeyNotFoundException">No outbox item has this id.</exception>
    public Task MarkDeliveredAsync(long id, string messageId, DateTimeOffset at, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(messageId);
        return UpdateOutboxAsync(
            id,
            """
            UPDATE outbox SET status = 'delivered', attempts = attempts + 1, delivered_at = @at, message_id = @message_id
            WHERE id = @id;
            """,
            c => c.With("@at", UnixTime.ToMs(at)).With("@message_id", messageId),
            ct);
    }

    /// <summary>Keeps the item pending for another attempt at <paramref name="nextAttemptAt"/>; attempts + 1.</summary>
    /// <exception cref="KeyNotFoundException">No outbox item has this id.</exception>
    public Task MarkRetryAsync(long id, string error, DateTimeOffset nextAttemptAt, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(error);
        return UpdateOutboxAsync(
            id,
            """
            UPDATE outbox SET attempts = attempts + 1, last_error = @error, next_attempt_at = @next
            WHERE id = @id;
            """,
            c => c.With("@error", error).With("@next", UnixTime.ToMs(nextAttemptAt)),
            ct);
    }

    /// <summary>Gives up on the item (it no longer blocks its chat); counts the attempt.</summary>
    /// <exception cref="KeyNotFoundException">No outbox item has this id.</exception>
    public Task MarkFailedAsync(long id, string error, DateTimeOffset at, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(error);
        return UpdateOutboxAsync(
            id,
            """
            UPDATE outbox SET status = 'failed', attempts = attempts + 1, last_error = @error, failed_at = @at
            WHERE id = @id;
            """,
            c => c.With("@error", error).With("@at", UnixTime.ToMs(at)),
            ct);
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

    private async Task UpdateOutboxAsync(long id, string sql, Action<SqliteCommand> bind, CancellationToken ct)
    {
        var changed = await ExecuteAsync(sql, c => bind(c.With("@id", id)), ct).ConfigureAwait(false);
        if (changed == 0)
        {
            throw new KeyNotFoundException($"No outbox item with id {id} is in the store.");
        }
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
    };
}
