using HandsBot.Core.Chat;
using HandsBot.Core.Delivery;
using HandsBot.Core.Model;
using HandsBot.Core.Access;

namespace HandsBot.Core.Engine;

/// <summary>
/// What the chat surface (and the console) may ask of the engine. Implementations persist every change
/// and wake the scheduler; callers authorise before calling.
/// </summary>
public interface IHandsEngine
{
    /// <summary>Every hand found on disk, valid or not, ordered by name.</summary>
    Task<IReadOnlyList<HandView>> ListHandsAsync(CancellationToken ct = default);
    /// <summary>A hand by name, case-insensitively; null when there is none.</summary>
    Task<HandView?> GetHandAsync(string name, CancellationToken ct = default);
    /// <summary>The next <paramref name="count"/> fire times after <paramref name="after"/> (empty for manual-only hands).</summary>
    IReadOnlyList<DateTimeOffset> NextFireTimes(HandManifest manifest, DateTimeOffset after, int count);

    /// <summary>Starts a run now. Refused (with a reason) for unknown, invalid, disabled or paused hands.</summary>
    Task<TriggerResult> TriggerAsync(string hand, RunRequest request, CancellationToken ct = default);
    Task<StateChangeResult> PauseAsync(string hand, string by, CancellationToken ct = default);
    Task<StateChangeResult> ResumeAsync(string hand, string by, CancellationToken ct = default);

    /// <summary>Newest first.</summary>
    Task<IReadOnlyList<ExecutionRecord>> HistoryAsync(string hand, int count, CancellationToken ct = default);
    /// <summary>An execution by id or unique id prefix.</summary>
    Task<ExecutionRecord?> FindExecutionAsync(string idOrPrefix, CancellationToken ct = default);

    Task<IReadOnlyList<ApprovalRecord>> PendingApprovalsAsync(CancellationToken ct = default);
    /// <summary>An approval by reference or unique prefix of its reference or id.</summary>
    Task<ApprovalLookup> FindApprovalAsync(string referenceOrPrefix, CancellationToken ct = default);
    /// <summary>Decides an approval if <paramref name="decider"/> may; the first decision wins.</summary>
    Task<DecisionResult> DecideAsync(string approvalId, bool approve, ChatUser decider, CancellationToken ct = default);
}

/// <summary>A hand with its live state, for listings and /status.</summary>
public sealed record HandView
{
    public required HandDefinition Definition { get; init; }
    public required HandState State { get; init; }
    public bool Paused { get; init; }
    public DateTimeOffset? NextDueAt { get; init; }
    public DateTimeOffset? LastRunAt { get; init; }
    public ExecutionOutcome? LastOutcome { get; init; }
    public string? LastError { get; init; }
    public HandCounters Counters { get; init; } = new(0, 0, 0);
    /// <summary>Delivery problems on this hand's routes (e.g. "telegram:-100123: bot was removed from the chat").</summary>
    public IReadOnlyList<string> RouteProblems { get; init; } = [];
    /// <summary>Webhook hands, in <see cref="IHandsEngine.GetHandAsync"/>: the run the last accepted call created (its delivery id and time).</summary>
    public ExecutionRecord? LastDelivery { get; init; }

    public string Name => Definition.Name;
    public HandManifest? Manifest => Definition.Manifest;
}

/// <summary>A manual or retried run, and where its result should also be delivered.</summary>
public sealed record RunRequest(RunTrigger Trigger, string RequestedBy, ChannelTarget? ReplyTo = null)
{
    /// <summary>The caller's idempotency key: a repeated request returns the run the first one created.</summary>
    public string? DeliveryId { get; init; }
    /// <summary>Webhook runs: the request body as received, and its media type.</summary>
    public byte[]? Payload { get; init; }
    public string? PayloadType { get; init; }
}

/// <summary>What became of a trigger.</summary>
public enum TriggerStatus
{
    /// <summary>A run was admitted and starts as soon as a run slot is free.</summary>
    Started,
    /// <summary>Queued behind the run in progress (overlap = "queue").</summary>
    Queued,
    /// <summary>Recorded as skipped: a run was in progress (overlap = "skip", or the queue was full).</summary>
    Skipped,
    /// <summary>The same request (delivery id) came before: <see cref="TriggerResult.ExecutionId"/> is the run it created.</summary>
    Duplicate,
    NotFound,
    Invalid,
    Disabled,
    Paused,
}

/// <summary>The engine's answer to a trigger, as data; the chat layer words it.</summary>
public sealed record TriggerResult(TriggerStatus Status, string? Hand = null, string? ExecutionId = null)
{
    /// <summary>True when a run will happen (started or queued).</summary>
    public bool Accepted => Status is TriggerStatus.Started or TriggerStatus.Queued or TriggerStatus.Duplicate;
    /// <summary>Skipped or queued: the run in progress it waits for or was skipped for.</summary>
    public string? BlockingExecutionId { get; init; }
    /// <summary>Skipped: the hand's overlap policy.</summary>
    public OverlapPolicy? Overlap { get; init; }
    /// <summary>Invalid: the manifest's errors.</summary>
    public IReadOnlyList<Diagnostic> Errors { get; init; } = [];
    /// <summary>NotFound: the closest hand names.</summary>
    public IReadOnlyList<string> Suggestions { get; init; } = [];
}

public enum StateChangeStatus { Changed, Unchanged, NotFound }

/// <summary>The result of /pause or /resume, as data.</summary>
public sealed record StateChangeResult(StateChangeStatus Status, string? Hand = null)
{
    public bool Changed => Status == StateChangeStatus.Changed;
    /// <summary>The hand's next scheduled run after the change (null: paused, or no schedule).</summary>
    public DateTimeOffset? NextDueAt { get; init; }
    /// <summary>A run of the hand is in progress (it finishes normally after a pause).</summary>
    public bool RunInProgress { get; init; }
    /// <summary>NotFound: the closest hand names.</summary>
    public IReadOnlyList<string> Suggestions { get; init; } = [];
}

public enum ApprovalLookupStatus { Found, NotFound, Ambiguous }

public sealed record ApprovalLookup(ApprovalLookupStatus Status, ApprovalRecord? Approval, IReadOnlyList<ApprovalRecord> Candidates);

public enum DecisionStatus { Decided, AlreadyDecided, NotAllowed, NotFound }

/// <summary>The result of a decision, with the approval as it now stands.</summary>
public sealed record DecisionResult(DecisionStatus Status, ApprovalRecord? Approval)
{
    /// <summary>NotAllowed: who may decide (the gate's approvers; empty = admins and operators).</summary>
    public IReadOnlyList<string> Approvers { get; init; } = [];
}
