namespace HandsBot.Core.Model;

public enum RunTrigger { Schedule, Manual, Retry, Approval }

public enum ExecutionOutcome
{
    Success,
    Failure,
    Timeout,
    Skipped,
    Cancelled,
    Interrupted,
    ApprovalPending,
    /// <summary>A schedule slot that passed while the bot was down and was not caught up.</summary>
    Missed,
}

public enum HandState { Idle, Scheduled, Running, Paused, Error, Disabled, Invalid }

/// <summary>One execution of a hand. <see cref="Outcome"/> is null while it runs.</summary>
public sealed record ExecutionRecord
{
    public required string Id { get; init; }
    public required string Hand { get; init; }
    public required RunTrigger Trigger { get; init; }
    public required DateTimeOffset StartedAt { get; init; }
    public DateTimeOffset? CompletedAt { get; init; }
    /// <summary>The schedule slot this run served, when triggered by the schedule.</summary>
    public DateTimeOffset? ScheduledFor { get; init; }
    public ExecutionOutcome? Outcome { get; init; }
    public string? Output { get; init; }
    public string? Error { get; init; }
    public string? Stderr { get; init; }
    public IReadOnlyList<string> Files { get; init; } = [];
    /// <summary>The execution this one continues (an approved action or an agent's resumed conversation).</summary>
    public string? ParentId { get; init; }
    /// <summary>Who asked for it (identity string) for manual runs.</summary>
    public string? RequestedBy { get; init; }
    /// <summary>Agent hands: the composed system prompt, kept so a user can see what the model was told.</summary>
    public string? Prompt { get; init; }
    /// <summary>Agent hands: the saved conversation (JSON) to continue after an approval.</summary>
    public string? State { get; init; }

    public TimeSpan? Duration => CompletedAt - StartedAt;
}

public sealed record HandCounters(long Runs, long Successes, long Failures);
