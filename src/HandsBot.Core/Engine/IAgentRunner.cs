using HandsBot.Core.Model;

namespace HandsBot.Core.Engine;

/// <summary>Runs agent hands (a hand without [run]): a language model with a tool loop.</summary>
public interface IAgentRunner
{
    /// <summary>Runs the agent from the start for this execution.</summary>
    Task<AgentRunResult> RunAsync(AgentRunContext context, CancellationToken ct);

    /// <summary>
    /// Continues a conversation saved when a gated tool call ended a run as approval_pending.
    /// On approval the gated tool runs first; otherwise the model is told the action was refused.
    /// </summary>
    Task<AgentRunResult> ResumeAsync(AgentRunContext context, string savedState, GateDecision decision, CancellationToken ct);
}

/// <summary>Everything an agent run needs to know about its hand and execution.</summary>
public sealed record AgentRunContext(HandDefinition Hand, ExecutionRecord Execution, DateTimeOffset Now)
{
    /// <summary>Event runs: the run whose end started this one.</summary>
    public ExecutionRecord? Parent { get; init; }
}

/// <summary>The human decision on a gated tool call.</summary>
public sealed record GateDecision(bool Approved, ApprovalStatus Status, string DecidedBy);

/// <summary>How an agent run ended.</summary>
public sealed record AgentRunResult
{
    /// <summary>Success, Failure, Timeout or ApprovalPending.</summary>
    public required ExecutionOutcome Outcome { get; init; }
    public string? Output { get; init; }
    public string? Error { get; init; }
    /// <summary>The composed system prompt, stored with the execution.</summary>
    public string? Prompt { get; init; }
    /// <summary>The conversation so far (JSON), stored so the run can be resumed.</summary>
    public string? State { get; init; }
    /// <summary>Set when <see cref="Outcome"/> is ApprovalPending: the gated call waiting for a decision.</summary>
    public GatedCall? PendingCall { get; init; }
}

/// <summary>A tool call that a gate holds: which gate, a one-line summary and the model's arguments.</summary>
public sealed record GatedCall(string Gate, string Summary, string ArgumentsJson);
