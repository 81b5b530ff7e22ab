namespace HandsBot.Core.Model;

public enum RunTrigger { Schedule, Manual, Retry, Approval, Webhook, Event }

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

/// <summary>
/// Where a run is in its life. Every run is a row first: queued (behind the hand's run in progress),
/// ready (admitted, waiting for a run slot), running (claimed by a worker, with an owner and a lease),
/// done (with an <see cref="ExecutionOutcome"/>).
/// </summary>
public enum RunState { Queued, Ready, Running, Done }

/// <summary>One execution of a hand. <see cref="Outcome"/> is null until it is done.</summary>
public sealed record ExecutionRecord
{
    public required string Id { get; init; }
    public required string Hand { get; init; }
    public required RunTrigger Trigger { get; init; }
    /// <summary>When it was requested until it is claimed; then when it started running.</summary>
    public required DateTimeOffset StartedAt { get; init; }
    public RunState RunState { get; init; } = RunState.Done;
    /// <summary>When the trigger asked for it.</summary>
    public DateTimeOffset? RequestedAt { get; init; }
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
    /// <summary>Also deliver the result here ("platform:chat[:thread]"), e.g. the chat a /run came from.</summary>
    public string? ReplyTo { get; init; }
    /// <summary>The approval whose decision this run carries out (at most one run per approval).</summary>
    public string? ApprovalId { get; init; }
    /// <summary>The caller's delivery id (a webhook's): a repeated delivery finds this run instead of starting another.</summary>
    public string? DeliveryId { get; init; }
    /// <summary>Claims so far; a result written with an older attempt number is refused.</summary>
    public int Attempt { get; init; }
    /// <summary>The worker that holds the run while it is running, and until when.</summary>
    public string? Owner { get; init; }
    public DateTimeOffset? LeaseUntil { get; init; }
    /// <summary>The last moment the run was known to be alive (its worker's heartbeat).</summary>
    public DateTimeOffset? AliveAt { get; init; }
    /// <summary>The hand's process (its process group leader) and that process's start time, so a reused pid is not mistaken for it.</summary>
    public int? Pid { get; init; }
    public long? PidStartTime { get; init; }
    /// <summary>Someone asked for the run to stop (overlap = "replace").</summary>
    public bool CancelRequested { get; init; }
    /// <summary>Stdout went over the output cap and was cut.</summary>
    public bool OutputTruncated { get; init; }
    /// <summary>Webhook runs: the request body as received (the run reads it from a file, never a command line).</summary>
    public byte[]? Payload { get; init; }
    /// <summary>Webhook runs: the body's media type.</summary>
    public string? PayloadType { get; init; }
    /// <summary>Event runs: how many runs led to this one (a parent's child is 1 deeper), to stop endless chains.</summary>
    public int ChainDepth { get; init; }

    public TimeSpan? Duration => CompletedAt - StartedAt;

    public bool IsActive => RunState != RunState.Done;
}

public sealed record HandCounters(long Runs, long Successes, long Failures);
