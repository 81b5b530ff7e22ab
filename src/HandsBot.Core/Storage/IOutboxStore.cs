namespace HandsBot.Core.Storage;

public enum OutboxKind { Send, Edit, File }

public enum OutboxStatus { Pending, Delivered, Failed }

/// <summary>One message (or edit, or file) waiting to be delivered, or already delivered.</summary>
public sealed record OutboxItem
{
    public long Id { get; init; }
    /// <summary>Unique per (execution, target, part): enqueueing the same key twice is a no-op.</summary>
    public required string IdempotencyKey { get; init; }
    public required string Platform { get; init; }
    public required string ChatId { get; init; }
    public string? ThreadId { get; init; }
    public required OutboxKind Kind { get; init; }
    /// <summary>The platform-neutral payload (JSON of <see cref="Delivery.OutboundPart"/>).</summary>
    public required string PayloadJson { get; init; }
    /// <summary>For edits: the platform message id to edit.</summary>
    public string? EditMessageId { get; init; }
    public OutboxStatus Status { get; init; } = OutboxStatus.Pending;
    public int Attempts { get; init; }
    public required DateTimeOffset CreatedAt { get; init; }
    public required DateTimeOffset NextAttemptAt { get; init; }
    public DateTimeOffset? DeliveredAt { get; init; }
    /// <summary>The platform's message id, set only when delivered.</summary>
    public string? MessageId { get; init; }
    public string? LastError { get; init; }
    public string? ExecutionId { get; init; }
    public string? ApprovalId { get; init; }
    /// <summary>Items with the same ordering key (platform+chat) are delivered in id order.</summary>
    public string OrderingKey => $"{Platform}:{ChatId}:{ThreadId}";
}

public interface IOutboxStore
{
    /// <summary>Adds the item; returns false (and changes nothing) when its idempotency key exists.</summary>
    Task<bool> EnqueueAsync(OutboxItem item, CancellationToken ct = default);
    /// <summary>Pending items, oldest first: the first pending item of each ordering key, if due at <paramref name="now"/>.</summary>
    Task<IReadOnlyList<OutboxItem>> ListDueAsync(DateTimeOffset now, int limit, CancellationToken ct = default);
    /// <summary>The earliest next attempt among pending items, or null when none are pending.</summary>
    Task<DateTimeOffset?> NextPendingAtAsync(CancellationToken ct = default);
    Task MarkDeliveredAsync(long id, string messageId, DateTimeOffset at, CancellationToken ct = default);
    Task MarkRetryAsync(long id, string error, DateTimeOffset nextAttemptAt, CancellationToken ct = default);
    Task MarkFailedAsync(long id, string error, DateTimeOffset at, CancellationToken ct = default);
    Task<IReadOnlyList<OutboxItem>> ListOutboxForExecutionAsync(string executionId, CancellationToken ct = default);
    Task<OutboxItem?> GetOutboxItemAsync(long id, CancellationToken ct = default);
}
