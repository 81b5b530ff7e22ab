using HandsBot.Core.Model;

namespace HandsBot.Core.Engine;

/// <summary>How the work of a run ended, before approvals and delivery.</summary>
public sealed record RunOutcome(ExecutionOutcome Outcome, string? Output, string? Error, string? Stderr)
{
    public IReadOnlyList<HandRequest> Requests { get; init; } = [];
    /// <summary>Stdout went over the output cap and was cut.</summary>
    public bool OutputTruncated { get; init; }
    /// <summary>Agent hands: the composed prompt and the conversation to save.</summary>
    public string? Prompt { get; init; }
    public string? State { get; init; }
}
