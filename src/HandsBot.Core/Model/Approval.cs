namespace HandsBot.Core.Model;

public enum ApprovalStatus { Pending, Approved, Rejected, AutoApproved, Expired }

/// <summary>A request for a human decision on a gated action.</summary>
public sealed record ApprovalRecord
{
    /// <summary>Internal id (a GUID in "N" form).</summary>
    public required string Id { get; init; }
    /// <summary>Short unguessable reference shown to users and used in button ids.</summary>
    public required string Reference { get; init; }
    public required string Hand { get; init; }
    public required string ExecutionId { get; init; }
    public required string Gate { get; init; }
    public required string Action { get; init; }
    public string Description { get; init; } = "";
    /// <summary>What the run asked for, in a sentence.</summary>
    public string Summary { get; init; } = "";
    /// <summary>Request data (JSON): the held output for broadcast gates, the run's data otherwise.</summary>
    public string ContextJson { get; init; } = "{}";
    public ApprovalStatus Status { get; init; } = ApprovalStatus.Pending;
    public required DateTimeOffset CreatedAt { get; init; }
    public DateTimeOffset? ExpiresAt { get; init; }
    public DateTimeOffset? AutoApproveAt { get; init; }
    public DateTimeOffset? ResolvedAt { get; init; }
    public string? ResolvedBy { get; init; }
    /// <summary>Why it was decided when nobody decided it (expired because the hand was removed, …).</summary>
    public string? Reason { get; init; }

    public bool IsPending => Status == ApprovalStatus.Pending;
}
