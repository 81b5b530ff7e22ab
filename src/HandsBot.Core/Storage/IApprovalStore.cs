using HandsBot.Core.Model;

namespace HandsBot.Core.Storage;

/// <summary>Approvals are created by <see cref="IRunStore.FinishAsync"/>; here they are found and decided.</summary>
public interface IApprovalStore
{
    Task<ApprovalRecord?> GetApprovalAsync(string id, CancellationToken ct = default);
    Task<ApprovalRecord?> GetApprovalByReferenceAsync(string reference, CancellationToken ct = default);
    /// <summary>Approvals whose reference starts with the prefix (case-insensitive); newest first.</summary>
    Task<IReadOnlyList<ApprovalRecord>> FindApprovalsByPrefixAsync(string prefix, int limit, CancellationToken ct = default);
    Task<IReadOnlyList<ApprovalRecord>> ListPendingApprovalsAsync(CancellationToken ct = default);
    /// <summary>Decided approvals, newest decision first.</summary>
    Task<IReadOnlyList<ApprovalRecord>> ListDecidedApprovalsAsync(int limit, CancellationToken ct = default);
    Task<IReadOnlyList<ApprovalRecord>> ListApprovalsForExecutionAsync(string executionId, CancellationToken ct = default);

    /// <summary>
    /// Decides a pending approval and writes the work the decision releases, in one transaction: true when
    /// this call decided it; false (nothing written) when it was already decided — the first decision wins.
    /// Every message that showed the request gets an edit with the decided content for its platform.
    /// When no approval of its execution is pending any more, the execution (waiting for approval) becomes a success.
    /// </summary>
    Task<bool> DecideApprovalAsync(ApprovalDecision decision, CancellationToken ct = default);

    Task<IReadOnlyList<ApprovalMessage>> ListApprovalMessagesAsync(string approvalId, CancellationToken ct = default);
}

public sealed record ApprovalMessage(string ApprovalId, string Platform, string ChatId, string? ThreadId, string MessageId);

/// <summary>A decision and what it releases.</summary>
public sealed record ApprovalDecision
{
    public required string ApprovalId { get; init; }
    public required ApprovalStatus Status { get; init; }
    public required string DecidedBy { get; init; }
    public required DateTimeOffset At { get; init; }
    /// <summary>Why, when the clock or the engine decided (expired: the hand was removed …).</summary>
    public string? Reason { get; init; }
    /// <summary>The request messages' new content, per platform (serialised parts).</summary>
    public IReadOnlyDictionary<string, string> DecidedPayloads { get; init; } = new Dictionary<string, string>();
    /// <summary>A held broadcast's messages.</summary>
    public IReadOnlyList<OutboxItem> Outbox { get; init; } = [];
    /// <summary>The run an approved action (or an agent's continuation) needs.</summary>
    public IReadOnlyList<RunAdmission> Runs { get; init; } = [];
    /// <summary>Files the released output was written to (appended to the execution's files).</summary>
    public IReadOnlyList<string> Files { get; init; } = [];
}
