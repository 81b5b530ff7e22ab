namespace HandsBot.Core.Storage;

public enum OutboxKind { Send, Edit, File }

public enum OutboxStatus { Pending, Delivered, Failed }

/// <summary>One message (or edit, or file) waiting to be delivered, or already delivered.</summary>
public sealed record OutboxItem
{
    public long Id { get; init; }
    /// <summary>Unique per (source, target, part): enqueueing the same key twice is a no-op.</summary>
    public required string IdempotencyKey { get; init; }
    public required string Platform { get; init; }
    public required string ChatId { get; init; }
    public string? ThreadId { get; init; }
    public required OutboxKind Kind { get; init; }
    /// <summary>The platform-ready payload (JSON of <see cref="Delivery.OutboundPart"/>).</summary>
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
    /// <summary>True for the message that shows an approval request: once delivered, the decision edits it.</summary>
    public bool IsApprovalRequest { get; init; }
    /// <summary>The sender holding the item while it sends it, until when, and the claim's number.</summary>
    public string? ClaimedBy { get; init; }
    public DateTimeOffset? ClaimUntil { get; init; }
    public long ClaimToken { get; init; }
    /// <summary>
    /// Times the item was taken over from a sender that died or whose claim ran out. Above zero, the item may
    /// have reached the platform before (a platform without an idempotency key may show it twice).
    /// </summary>
    public int Takeovers { get; init; }
    /// <summary>Items with the same ordering key (platform+chat+thread) are delivered in id order.</summary>
    public string OrderingKey => $"{Platform}:{ChatId}:{ThreadId}";
}

public interface IOutboxStore
{
    /// <summary>Adds the items whose idempotency key is new; returns how many were added.</summary>
    Task<int> EnqueueAsync(IReadOnlyList<OutboxItem> items, CancellationToken ct = default);

    /// <summary>
    /// Claims the first pending item of each chat (ordering key) when it is due and not claimed by a live
    /// claim, oldest first: a chat's messages go out in order, one at a time, whoever sends them. Items
    /// for other platforms than the claim's are left for a sender that has them. Claiming an item whose
    /// earlier claim ran out counts a takeover.
    /// </summary>
    Task<IReadOnlyList<OutboxItem>> ClaimDueAsync(OutboxClaim claim, CancellationToken ct = default);

    /// <summary>
    /// Records what became of a claimed item. False (nothing written) when the claim is no longer the
    /// item's (another sender took it over). A delivered approval request is remembered as one of the
    /// approval's messages — and edited at once if the approval was decided meanwhile.
    /// </summary>
    Task<bool> CompleteDeliveryAsync(DeliveryCompletion completion, CancellationToken ct = default);

    /// <summary>The senders holding claims on pending items now.</summary>
    Task<IReadOnlyList<string>> ListClaimOwnersAsync(CancellationToken ct = default);

    /// <summary>Releases every claim <paramref name="owner"/> holds (a sender that is gone), counting a takeover on each; returns how many.</summary>
    Task<int> ReleaseClaimsAsync(string owner, CancellationToken ct = default);

    /// <summary>The earliest moment a pending item for one of <paramref name="platforms"/> becomes claimable, or null when none is pending.</summary>
    Task<DateTimeOffset?> NextDueAtAsync(IReadOnlyCollection<string> platforms, CancellationToken ct = default);

    Task<IReadOnlyList<OutboxItem>> ListOutboxForExecutionAsync(string executionId, CancellationToken ct = default);
    Task<OutboxItem?> GetOutboxItemAsync(long id, CancellationToken ct = default);

    /// <summary>
    /// Failed deliveries still unresolved, of any age: per hand and target, the last delivery that ended
    /// failed when nothing was delivered to that target for that hand since. Newest first.
    /// </summary>
    Task<IReadOnlyList<DeliveryProblem>> ListDeliveryProblemsAsync(string? hand, int limit, CancellationToken ct = default);

    /// <summary>Pending items and the age of the oldest (for /status and metrics).</summary>
    Task<OutboxBacklog> GetBacklogAsync(DateTimeOffset now, CancellationToken ct = default);
}

/// <summary>A sender's claim: only items for <see cref="Platforms"/>, the platforms it can send to now.</summary>
public sealed record OutboxClaim(string Owner, DateTimeOffset Now, DateTimeOffset ClaimUntil, int Limit, IReadOnlyCollection<string> Platforms);

public enum DeliveryResultKind { Delivered, Retry, Failed, Release }

/// <summary>
/// Delivered (with the message id), Retry (at <see cref="NextAttemptAt"/>), Failed (for good), or Release
/// (hand the item back untouched, e.g. the platform refused the bot's token: it waits for a working token).
/// </summary>
public sealed record DeliveryCompletion(long Id, long ClaimToken, DeliveryResultKind Kind, DateTimeOffset At)
{
    public string? MessageId { get; init; }
    public string? Error { get; init; }
    public DateTimeOffset? NextAttemptAt { get; init; }
}

public sealed record DeliveryProblem(string Hand, string Platform, string ChatId, string? ThreadId, string Error, DateTimeOffset At, string? ExecutionId)
{
    public string Target => ThreadId is null ? $"{Platform}:{ChatId}" : $"{Platform}:{ChatId}:{ThreadId}";
}

public sealed record OutboxBacklog(int Pending, TimeSpan OldestAge, IReadOnlyDictionary<string, int> PendingByPlatform);
