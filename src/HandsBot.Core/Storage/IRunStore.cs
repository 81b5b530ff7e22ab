using HandsBot.Core.Model;

namespace HandsBot.Core.Storage;

/// <summary>
/// Runs as rows: admitted (with the hand's overlap policy applied in the same transaction), claimed by a
/// worker with an owner, a lease and an attempt number, kept alive by heartbeats, and finished in one
/// transaction with everything the finish releases. Every method is one transaction.
/// </summary>
public interface IRunStore
{
    /// <summary>
    /// Admits runs and writes a scheduler pass (missed-slot records, next due times) in one transaction.
    /// For each admission: a repeat of an earlier request (same hand and schedule slot, same hand and
    /// delivery id, same approval, or an event run of the same hand for the same parent run) returns the existing run; otherwise the hand's overlap policy decides between ready,
    /// queued and skipped, cancelling or dropping what a "replace" supersedes.
    /// </summary>
    Task<IReadOnlyList<AdmitResult>> AdmitAsync(AdmissionBatch batch, CancellationToken ct = default);

    /// <summary>Claims up to <see cref="RunClaim.Limit"/> ready runs, oldest first: running, owned, leased, attempt + 1.</summary>
    Task<IReadOnlyList<ExecutionRecord>> ClaimAsync(RunClaim claim, CancellationToken ct = default);

    /// <summary>Records the process a claimed run started (pid and its start time); false when the claim is stale.</summary>
    Task<bool> RecordProcessAsync(string id, int attempt, int pid, long pidStartTime, CancellationToken ct = default);

    /// <summary>Extends the lease of every run <paramref name="owner"/> holds; returns those whose stop was requested, and those it no longer holds.</summary>
    Task<HeartbeatResult> HeartbeatAsync(string owner, IReadOnlyCollection<string> holding, DateTimeOffset now, DateTimeOffset leaseUntil, CancellationToken ct = default);

    /// <summary>
    /// Ends a running run in one transaction: its outcome and output, the hand's counters, the approvals and
    /// messages it releases, the runs it triggers, and the hand's queued run (now ready). False, and nothing
    /// written, when the claim is stale (another attempt or owner holds the run, or it already ended).
    /// </summary>
    Task<bool> FinishAsync(RunFinish finish, CancellationToken ct = default);

    /// <summary>
    /// Closes a run whose worker is gone (crash, lost lease): marked interrupted (its duration ending at the
    /// last moment it was known alive) or made ready again for another attempt. False when it moved on meanwhile.
    /// </summary>
    Task<bool> ReleaseLostAsync(LostRun lost, CancellationToken ct = default);

    /// <summary>Marks the hand's queued run skipped with <paramref name="reason"/> (the hand was paused); true when there was one.</summary>
    Task<bool> DropQueuedAsync(string hand, string reason, DateTimeOffset now, CancellationToken ct = default);

    /// <summary>Saves an agent's prompt and conversation state while it runs (null keeps the stored value).</summary>
    Task SaveExecutionStateAsync(string id, string? prompt, string? state, CancellationToken ct = default);

    Task<ExecutionRecord?> GetExecutionAsync(string id, CancellationToken ct = default);
    /// <summary>Executions whose id starts with the prefix (at most <paramref name="limit"/>).</summary>
    Task<IReadOnlyList<ExecutionRecord>> FindExecutionsByPrefixAsync(string idPrefix, int limit, CancellationToken ct = default);
    /// <summary>Newest first.</summary>
    Task<IReadOnlyList<ExecutionRecord>> ListExecutionsAsync(string hand, int limit, CancellationToken ct = default);
    /// <summary>Every run not yet done (queued, ready, running), without output; oldest first.</summary>
    Task<IReadOnlyList<ExecutionRecord>> ListActiveRunsAsync(CancellationToken ct = default);
    /// <summary>Inserts an execution as given (tests, imports); admissions go through <see cref="AdmitAsync"/>.</summary>
    Task InsertExecutionAsync(ExecutionRecord execution, CancellationToken ct = default);
}

/// <summary>A run to admit. <see cref="Overlap"/> null: not subject to the hand's overlap policy (the run an approval releases).</summary>
public sealed record RunAdmission(ExecutionRecord Run, OverlapPolicy? Overlap);

/// <summary>What one transaction admits and records.</summary>
public sealed record AdmissionBatch(IReadOnlyList<RunAdmission> Admissions, DateTimeOffset Now)
{
    /// <summary>Finished records inserted as they are (missed schedule slots); a slot already recorded is left alone.</summary>
    public IReadOnlyList<ExecutionRecord> Records { get; init; } = [];
    /// <summary>Hands' next due times (scheduler passes).</summary>
    public IReadOnlyList<KeyValuePair<string, DateTimeOffset>> NextDue { get; init; } = [];
}

public enum AdmitStatus { Ready, Queued, Skipped, Duplicate }

/// <summary>What became of an admission: the run's id (the earlier run's for a duplicate) and the run it waits for or was skipped for.</summary>
public sealed record AdmitResult(AdmitStatus Status, string ExecutionId, string? BlockingExecutionId = null)
{
    /// <summary>Runs a "replace" asked to stop (running) — their workers cancel them.</summary>
    public IReadOnlyList<string> CancelRequested { get; init; } = [];
}

public sealed record RunClaim(string Owner, DateTimeOffset Now, DateTimeOffset LeaseUntil, int Limit)
{
    /// <summary>Claim only this run (a one-shot `handsbot run` runs its own run, nothing else).</summary>
    public string? OnlyId { get; init; }
}

public sealed record HeartbeatResult(IReadOnlyList<string> CancelRequested, IReadOnlyList<string> Lost);

/// <summary>Everything the end of a run writes, in one transaction.</summary>
public sealed record RunFinish
{
    public required string Id { get; init; }
    public required int Attempt { get; init; }
    public required string Owner { get; init; }
    public required string Hand { get; init; }
    public required ExecutionOutcome Outcome { get; init; }
    public required DateTimeOffset CompletedAt { get; init; }
    public string? Output { get; init; }
    public bool OutputTruncated { get; init; }
    public string? Error { get; init; }
    public string? Stderr { get; init; }
    public IReadOnlyList<string> Files { get; init; } = [];
    /// <summary>Agent hands: the prompt and conversation (null keeps what was saved).</summary>
    public string? Prompt { get; init; }
    public string? State { get; init; }
    /// <summary>How the hand's counters count the run (a run waiting for approval counts its work as a success).</summary>
    public required ExecutionOutcome Counted { get; init; }
    public string? CountedError { get; init; }
    public IReadOnlyList<ApprovalRecord> Approvals { get; init; } = [];
    public IReadOnlyList<OutboxItem> Outbox { get; init; } = [];
    /// <summary>Runs this one triggers (event hands).</summary>
    public IReadOnlyList<RunAdmission> Triggers { get; init; } = [];
}

public enum LostRunAction { Interrupt, Retry }

/// <summary>A running run whose worker is gone, and what to do with it.</summary>
public sealed record LostRun(string Id, int Attempt, string Hand, LostRunAction Action, DateTimeOffset Now, string Reason)
{
    /// <summary>Interrupt: what the notice to the hand's channels says (rendered per target).</summary>
    public IReadOnlyList<OutboxItem> Outbox { get; init; } = [];
}
