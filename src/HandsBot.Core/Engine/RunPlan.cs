using HandsBot.Core.Delivery;
using HandsBot.Core.Model;

namespace HandsBot.Core.Engine;

/// <summary>One run to start: which hand, why, for whom, and (for approved actions) what was approved.</summary>
public sealed record RunPlan(HandDefinition Hand, RunTrigger Trigger)
{
    /// <summary>Identity of who asked (manual runs, decisions).</summary>
    public string? RequestedBy { get; init; }
    /// <summary>Also deliver the result here (the chat a /run came from).</summary>
    public ChannelTarget? ReplyTo { get; init; }
    /// <summary>The schedule slot this run serves.</summary>
    public DateTimeOffset? ScheduledFor { get; init; }
    /// <summary>Set for the run that follows a decision (an approved action or an agent's resumed conversation).</summary>
    public DecidedApproval? Decision { get; init; }

    public string HandName => Hand.Name;
}

/// <summary>A decided approval and the execution that asked for it.</summary>
public sealed record DecidedApproval(ApprovalRecord Approval, ExecutionRecord Parent, bool Approved, string DecidedBy);

/// <summary>How a trigger was handled by the coordinator.</summary>
public enum StartStatus { Started, Queued, Skipped }

public sealed record StartResult(StartStatus Status, string ExecutionId, string? Reason = null)
{
    /// <summary>Queued or skipped: the run in progress.</summary>
    public string? BlockingExecutionId { get; init; }
}
