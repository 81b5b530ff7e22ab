using HandsBot.Core.Model;

namespace HandsBot.Core.Storage;

public interface IApprovalStore
{
    Task InsertApprovalAsync(ApprovalRecord approval, CancellationToken ct = default);
    Task<ApprovalRecord?> GetApprovalAsync(string id, CancellationToken ct = default);
    Task<ApprovalRecord?> GetApprovalByReferenceAsync(string reference, CancellationToken ct = default);
    /// <summary>Approvals whose id or reference starts with the prefix (case-insensitive).</summary>
    Task<IReadOnlyList<ApprovalRecord>> FindApprovalsByPrefixAsync(string prefix, int limit, CancellationToken ct = default);
    Task<IReadOnlyList<ApprovalRecord>> ListPendingApprovalsAsync(CancellationToken ct = default);
    Task<IReadOnlyList<ApprovalRecord>> ListApprovalsForExecutionAsync(string executionId, CancellationToken ct = default);
    /// <summary>
    /// Decides a pending approval atomically: true when this call decided it, false when it was already
    /// decided (the first decision wins).
    /// </summary>
    Task<bool> TryResolveApprovalAsync(string id, ApprovalStatus status, string resolvedBy, DateTimeOffset at, CancellationToken ct = default);
    /// <summary>Remembers a chat message that shows the request, so it can be updated after the decision.</summary>
    Task AddApprovalMessageAsync(ApprovalMessage message, CancellationToken ct = default);
    Task<IReadOnlyList<ApprovalMessage>> ListApprovalMessagesAsync(string approvalId, CancellationToken ct = default);
}

public sealed record ApprovalMessage(string ApprovalId, string Platform, string ChatId, string? ThreadId, string MessageId);
