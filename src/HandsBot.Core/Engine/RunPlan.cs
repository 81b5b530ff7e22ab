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
    /// <summary>Event runs: the run whose end started this one (its outcome and output).</summary>
    public ExecutionRecord? Parent { get; init; }

    public string HandName => Hand.Name;
}

/// <summary>A decided approval and the execution that asked for it.</summary>
public sealed record DecidedApproval(ApprovalRecord Approval, ExecutionRecord Parent, bool Approved, string DecidedBy);
