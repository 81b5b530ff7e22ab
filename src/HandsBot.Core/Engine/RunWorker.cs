using System.Collections.Concurrent;
using HandsBot.Core.Configuration;
using HandsBot.Core.Model;
using HandsBot.Core.Registry;
using HandsBot.Core.Running;
using HandsBot.Core.Storage;
using HandsBot.Core.Util;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace HandsBot.Core.Engine;

/// <summary>
/// Works the run rows: claims ready runs (up to the concurrency limit) with this process as owner and a
/// lease, runs them, keeps their leases alive, and writes each finish in one transaction, retrying store
/// errors. Finds runs whose worker is gone (a crash, a lost lease) and closes them: interrupted, with the
/// duration ending when the run was last known alive, and its process group killed if it survived.
/// On shutdown it stops claiming, gives running hands the grace period, then cancels them.
/// </summary>
public sealed partial class RunWorker : BackgroundService
{
    private readonly IRunStore _runs;
    private readonly IApprovalStore _approvals;
    private readonly HandRegistry _registry;
    private readonly CommandHandRunner _commands;
    private readonly AgentHandRunner _agents;
    private readonly RunFinisher _finisher;
    private readonly Triggers.EventTriggers _events;
    private readonly Delivery.Outbox _outbox;
    private readonly EnginePaths _paths;
    private readonly TimeProvider _time;
    private readonly ILogger<RunWorker> _logger;
    private readonly AsyncSignal _wake = new();
    private readonly ConcurrentDictionary<string, Active> _active = new(StringComparer.Ordinal);
    private readonly CancellationTokenSource _hardStop = new();
    private readonly TimeSpan _lease;
    private readonly TimeSpan _grace;
    private readonly long _outputCap;
    private volatile bool _draining;
    private DateTimeOffset _nextHeartbeat = DateTimeOffset.MinValue;
    private DateTimeOffset _nextSweep = DateTimeOffset.MinValue;

    public RunWorker(
        IRunStore runs,
        IApprovalStore approvals,
        HandRegistry registry,
        CommandHandRunner commands,
        AgentHandRunner agents,
        RunFinisher finisher,
        Triggers.EventTriggers events,
        Delivery.Outbox outbox,
        EnginePaths paths,
        IOptions<SchedulerOptions> scheduler,
        IOptions<StorageOptions> storage,
        IOptions<OutputOptions> output,
        TimeProvider time,
        ILogger<RunWorker> logger)
    {
        _runs = runs;
        _approvals = approvals;
        _registry = registry;
        _commands = commands;
        _agents = agents;
        _finisher = finisher;
        _events = events;
        _outbox = outbox;
        _paths = paths;
        _time = time;
        _logger = logger;
        MaxConcurrentRuns = Math.Max(1, scheduler.Value.MaxConcurrentRuns);
        _grace = TimeSpan.FromSeconds(Math.Max(0, scheduler.Value.ShutdownGraceSeconds));
        _lease = TimeSpan.FromSeconds(Math.Max(3, storage.Value.LeaseSeconds));
        _outputCap = Math.Max(1024, output.Value.MaxOutputBytes);
    }

    /// <summary>This worker's name on the rows it claims.</summary>
    public string Owner { get; } = ProcessIdentity.NewInstance();

    public int MaxConcurrentRuns { get; }

    /// <summary>Runs this worker is running now.</summary>
    public int RunningCount => _active.Count;

    /// <summary>Raised after a run's finish was written.</summary>
    public event Action<RunFinish>? Finished;

    /// <summary>New work was admitted (or a slot freed): look for ready runs now.</summary>
    public void Wake() => _wake.Set();

    /// <summary>Asks the runs with these ids that this worker runs to stop (overlap = "replace").</summary>
    public void Cancel(IEnumerable<string> executionIds)
    {
        foreach (var id in executionIds)
        {
            if (_active.TryGetValue(id, out var active)) active.Cancel.Cancel();
        }
    }

    protected override Task ExecuteAsync(CancellationToken stoppingToken) =>
        ResilientLoop.RunAsync(PassAsync, _time, _logger, "Run worker pass", stoppingToken);

    /// <summary>One pass: sweep and heartbeat when due, claim what fits, then wait for a wake or the next due moment.</summary>
    internal async Task PassAsync(CancellationToken ct)
    {
        var now = _time.GetUtcNow();
        if (now >= _nextSweep)
        {
            await SweepLostAsync(ct).ConfigureAwait(false);
            _nextSweep = now + _lease;
        }
        if (now >= _nextHeartbeat)
        {
            await HeartbeatAsync(ct).ConfigureAwait(false);
            _nextHeartbeat = now + _lease / 3;
        }
        await ClaimAndStartAsync(ct).ConfigureAwait(false);
        var next = _nextHeartbeat < _nextSweep ? _nextHeartbeat : _nextSweep;
        var wait = next - _time.GetUtcNow();
        await _wake.WaitAsync(wait > TimeSpan.Zero ? wait : TimeSpan.Zero, _time, ct).ConfigureAwait(false);
    }

    private async Task ClaimAndStartAsync(CancellationToken ct, string? onlyId = null)
    {
        if (_draining) return;
        var free = MaxConcurrentRuns - _active.Count;
        if (free <= 0) return;
        var now = _time.GetUtcNow();
        var claimed = await _runs.ClaimAsync(new RunClaim(Owner, now, now + _lease, free) { OnlyId = onlyId }, ct).ConfigureAwait(false);
        foreach (var run in claimed)
        {
            var active = new Active(run, CancellationTokenSource.CreateLinkedTokenSource(_hardStop.Token));
            _active[run.Id] = active;
            active.Task = Task.Run(() => RunOneAsync(active), CancellationToken.None);
        }
    }

    /// <summary>Runs every ready run now and waits until none is ready or running (one-shot commands, tests).</summary>
    public async Task RunReadyAsync(CancellationToken ct)
    {
        while (true)
        {
            await ClaimAndStartAsync(ct).ConfigureAwait(false);
            var running = _active.Values.Select(a => a.Task!).ToArray();
            if (running.Length == 0)
            {
                var active = await _runs.ListActiveRunsAsync(ct).ConfigureAwait(false);
                if (!active.Any(r => r.RunState == RunState.Ready)) return;
                continue;
            }
            await Task.WhenAny(running).WaitAsync(ct).ConfigureAwait(false);
        }
    }

    /// <summary>Runs one ready run here and now, and waits for its finish (`handsbot run`); false when it was not ready.</summary>
    public async Task<bool> RunNowAsync(string executionId, CancellationToken ct)
    {
        await ClaimAndStartAsync(ct, executionId).ConfigureAwait(false);
        if (!_active.TryGetValue(executionId, out var active)) return false;
        await active.Task!.WaitAsync(ct).ConfigureAwait(false);
        return true;
    }

    private async Task RunOneAsync(Active active)
    {
        var run = active.Run;
        try
        {
            var hand = _registry.Find(run.Hand);
            RunOutcome result;
            RunPlan? plan = null;
            if (hand?.Manifest is null || !hand.IsValid)
            {
                result = new RunOutcome(ExecutionOutcome.Failure, null, $"hand '{run.Hand}' is no longer loaded (its folder was removed or its HAND.toml became invalid)", null);
            }
            else
            {
                plan = await PlanAsync(hand, run).ConfigureAwait(false);
                // The scratch folder exists before anything of the run starts and stays until its end is
                // recorded: after a crash, a run without one certainly never started (and may run again).
                Directory.CreateDirectory(_paths.RunScratch(run.Id));
                result = await ExecuteAsync(plan, active).ConfigureAwait(false);
            }
            var finish = plan is null
                ? BareFinish(run, result)
                : _finisher.Compose(plan, run, result, Owner, await _events.ChildrenAsync(run, result.Outcome, result.Output).ConfigureAwait(false));
            if (await WriteFinishAsync(finish, run.StartedAt).ConfigureAwait(false)) RemoveScratch(run.Id);
        }
        catch (Exception ex)
        {
            LogRunCrashed(ex, run.Id, run.Hand);
        }
        finally
        {
            _active.TryRemove(run.Id, out _);
            active.Cancel.Dispose();
            Wake();
        }
    }

    private async Task<RunPlan> PlanAsync(HandDefinition hand, ExecutionRecord run)
    {
        var plan = new RunPlan(hand, run.Trigger)
        {
            RequestedBy = run.RequestedBy,
            ReplyTo = ApprovalContext.ParseTarget(run.ReplyTo),
            ScheduledFor = run.ScheduledFor,
        };
        if (run.ApprovalId is { } approvalId
            && await _approvals.GetApprovalAsync(approvalId).ConfigureAwait(false) is { } approval
            && await _runs.GetExecutionAsync(approval.ExecutionId).ConfigureAwait(false) is { } parent)
        {
            var approved = approval.Status is ApprovalStatus.Approved or ApprovalStatus.AutoApproved;
            plan = plan with { Decision = new DecidedApproval(approval, parent, approved, approval.ResolvedBy ?? ApprovalService.SystemDecider) };
        }
        if (run.Trigger == RunTrigger.Event && run.ParentId is { } parentId)
        {
            plan = plan with { Parent = await _runs.GetExecutionAsync(parentId).ConfigureAwait(false) };
        }
        return plan;
    }

    private async Task<RunOutcome> ExecuteAsync(RunPlan plan, Active active)
    {
        var run = active.Run;
        var ct = active.Cancel.Token;
        if (run.CancelRequested) return new RunOutcome(ExecutionOutcome.Cancelled, null, "replaced by a newer run before it started (overlap = replace)", null);
        if (run.Trigger == RunTrigger.Event && run.ChainDepth > (plan.Hand.Manifest!.Event?.MaxDepth ?? Model.EventTriggerSpec.DefaultMaxDepth))
        {
            // The chain is recorded where people look for it: this run, skipped, with the reason in /history and a notice.
            var reason = Triggers.EventTriggers.DepthProblem(plan.Hand.Manifest, run, await ChainAsync(run).ConfigureAwait(false));
            LogChainStopped(run.Id, run.Hand, run.ChainDepth);
            return new RunOutcome(ExecutionOutcome.Skipped, null, reason, null);
        }
        try
        {
            var outcome = plan.Hand.Manifest!.IsAgent
                ? await _agents.RunAsync(plan, run, ct).ConfigureAwait(false)
                : await _commands.RunAsync(plan, run, _outputCap, pid => OnProcessStarted(active, pid), ct).ConfigureAwait(false);
            // The runner only knows it was cancelled; the worker knows why.
            return outcome.Outcome == ExecutionOutcome.Cancelled && ct.IsCancellationRequested
                ? outcome with { Error = CancelReason(active) }
                : outcome;
        }
        catch (OperationCanceledException) when (ct.IsCancellationRequested)
        {
            return new RunOutcome(ExecutionOutcome.Cancelled, null, CancelReason(active), null);
        }
        catch (Exception ex)
        {
            LogRunFailedUnexpectedly(ex, run.Id, run.Hand);
            return new RunOutcome(ExecutionOutcome.Failure, null, "internal error: " + ex.Message, null);
        }
    }

    /// <summary>The hands of the runs that led to <paramref name="run"/>, oldest first (the last dozen at most).</summary>
    private async Task<IReadOnlyList<string>> ChainAsync(ExecutionRecord run)
    {
        var hands = new List<string> { run.Hand };
        var current = run;
        while (current.ParentId is { } parentId && hands.Count < 12
               && await _runs.GetExecutionAsync(parentId).ConfigureAwait(false) is { } parent)
        {
            hands.Insert(0, parent.Hand);
            if (parent.Trigger != RunTrigger.Event) break;
            current = parent;
        }
        return hands;
    }

    private string CancelReason(Active active) =>
        _hardStop.IsCancellationRequested ? $"HandsBot was stopping and the run did not finish within shutdown_grace ({_grace.TotalSeconds:0} s)"
        : active.Lost ? "this worker lost its claim on the run"
        : "replaced by a newer run (overlap = replace)";

    /// <summary>Remembers the hand's process (pid and start time) in the run's row, so a crash of HandsBot cannot orphan it unnoticed.</summary>
    private void OnProcessStarted(Active active, int pid)
    {
        active.Pid = pid;
        active.PidStartTime = ProcessIdentity.StartTime(pid);
        _ = RecordProcessAsync(active);
    }

    private async Task RecordProcessAsync(Active active)
    {
        if (active.Pid is not { } pid || active.PidStartTime is not { } started) return;
        try
        {
            active.PidRecorded = await _runs.RecordProcessAsync(active.Run.Id, active.Run.Attempt, pid, started).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            // The heartbeat tries again.
            LogStoreRetry(active.Run.Id, "recording its process", ex.Message);
        }
    }

    /// <summary>
    /// Writes the finish; a store error is retried with backoff until it is written or the run is no longer
    /// this worker's. True when this call recorded it.
    /// </summary>
    private async Task<bool> WriteFinishAsync(RunFinish finish, DateTimeOffset startedAt)
    {
        var delay = TimeSpan.FromMilliseconds(250);
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                if (!await _runs.FinishAsync(finish).ConfigureAwait(false))
                {
                    LogFinishRefused(finish.Id, finish.Hand);
                    return false;
                }
                if (finish.Outbox.Count > 0) _outbox.Wake.Set();
                LogRunEnded(finish.Id, finish.Hand, finish.Outcome, finish.CompletedAt - startedAt);
                Finished?.Invoke(finish);
                return true;
            }
            catch (Exception ex) when (ex is not OperationCanceledException)
            {
                if (attempt == 1 || attempt % 10 == 0) LogStoreRetry(finish.Id, "recording how it ended", ex.Message);
                // Past the shutdown deadline the next start finds the run and closes it as interrupted.
                if (_hardStop.IsCancellationRequested) return false;
                try
                {
                    await Task.Delay(delay, _time, _hardStop.Token).ConfigureAwait(false);
                }
                catch (OperationCanceledException)
                {
                    return false;
                }
                delay = TimeSpan.FromTicks(Math.Min(delay.Ticks * 2, TimeSpan.FromSeconds(30).Ticks));
            }
        }
    }

    private RunFinish BareFinish(ExecutionRecord run, RunOutcome result) => new()
    {
        Id = run.Id,
        Attempt = run.Attempt,
        Owner = Owner,
        Hand = run.Hand,
        Outcome = result.Outcome,
        CompletedAt = _time.GetUtcNow(),
        Error = result.Error,
        Counted = result.Outcome,
        CountedError = result.Error,
    };

    /// <summary>Extends this worker's leases, re-records processes the store missed, and stops runs someone asked to stop or that are no longer ours.</summary>
    internal async Task HeartbeatAsync(CancellationToken ct)
    {
        if (_active.IsEmpty) return;
        var now = _time.GetUtcNow();
        var result = await _runs.HeartbeatAsync(Owner, [.. _active.Keys], now, now + _lease, ct).ConfigureAwait(false);
        foreach (var id in result.CancelRequested)
        {
            if (_active.TryGetValue(id, out var active)) await active.Cancel.CancelAsync().ConfigureAwait(false);
        }
        foreach (var id in result.Lost)
        {
            if (!_active.TryGetValue(id, out var active)) continue;
            LogClaimLost(id, active.Run.Hand);
            active.Lost = true;
            await active.Cancel.CancelAsync().ConfigureAwait(false);
        }
        foreach (var active in _active.Values.Where(a => !a.PidRecorded && a.Pid is not null))
        {
            await RecordProcessAsync(active).ConfigureAwait(false);
        }
    }

    /// <summary>
    /// Closes runs whose worker is gone: on this machine, a worker process that no longer exists (or an
    /// earlier engine of this process); elsewhere, a lease that ran out.
    /// </summary>
    public async Task<int> SweepLostAsync(CancellationToken ct)
    {
        var now = _time.GetUtcNow();
        var closed = 0;
        foreach (var run in await _runs.ListActiveRunsAsync(ct).ConfigureAwait(false))
        {
            if (run.RunState != RunState.Running || run.Owner == Owner || run.Owner is not { } owner) continue;
            var gone = ProcessIdentity.IsLocal(owner) ? !ProcessIdentity.IsOtherLiveProcess(owner) : run.LeaseUntil is { } until && until <= now;
            if (!gone) continue;
            if (await CloseLostAsync(run, now, ct).ConfigureAwait(false)) closed++;
        }
        return closed;
    }

    /// <summary>Attempts after which a run that never got to start is interrupted rather than tried again.</summary>
    public const int MaxStartAttempts = 3;

    private async Task<bool> CloseLostAsync(ExecutionRecord run, DateTimeOffset now, CancellationToken ct)
    {
        var local = run.Owner is { } owner && ProcessIdentity.IsLocal(owner);
        var scratch = _paths.RunScratch(run.Id);
        if (local && !Directory.Exists(scratch) && run.Pid is null && run.Attempt < MaxStartAttempts)
        {
            // Claimed, but nothing of it started before its worker died: running it now runs it once.
            const string again = "HandsBot stopped after taking up this run and before starting it; it was started again";
            if (!await _runs.ReleaseLostAsync(new LostRun(run.Id, run.Attempt, run.Hand, LostRunAction.Retry, now, again), ct).ConfigureAwait(false)) return false;
            LogRetriedNeverStarted(run.Id, run.Hand);
            Wake();
            return true;
        }

        var reason = "HandsBot stopped while this run was in progress; it was not re-run. Use /run to run it again.";
        if (local && KillOrphans(run) is { Count: > 0 } killed)
        {
            reason += $" Its processes (group {string.Join(", ", killed)}) were still running and were killed.";
        }
        var hand = _registry.Find(run.Hand);
        var notice = hand?.Manifest is { } manifest
            ? _finisher.FailureItems(manifest, run with { CompletedAt = run.AliveAt ?? now }, ExecutionOutcome.Interrupted, reason, ApprovalContext.ParseTarget(run.ReplyTo))
            : [];
        var released = await _runs.ReleaseLostAsync(new LostRun(run.Id, run.Attempt, run.Hand, LostRunAction.Interrupt, now, reason) { Outbox = notice }, ct).ConfigureAwait(false);
        if (released)
        {
            LogInterrupted(run.Id, run.Hand);
            RemoveScratch(run.Id);
            if (notice.Count > 0) _outbox.Wake.Set();
            Wake();
        }
        return released;
    }

    /// <summary>Kills what is left of a lost run's processes: its recorded group, and any process carrying its HAND_RUN_ID.</summary>
    private List<int> KillOrphans(ExecutionRecord run)
    {
        var killed = new List<int>();
        if (run.Pid is { } pid && run.PidStartTime is { } started && ProcessIdentity.KillGroupIfSame(pid, started)) killed.Add(pid);
        foreach (var group in ProcessIdentity.GroupsWithEnvironment("HAND_RUN_ID", run.Id).Where(g => !killed.Contains(g)))
        {
            if (ProcessIdentity.KillGroup(group)) killed.Add(group);
        }
        foreach (var group in killed) LogOrphanKilled(run.Id, run.Hand, group);
        return killed;
    }

    private void RemoveScratch(string executionId)
    {
        try
        {
            var scratch = _paths.RunScratch(executionId);
            if (Directory.Exists(scratch)) Directory.Delete(scratch, recursive: true);
        }
        catch (IOException)
        {
            // A leftover folder is harmless: it only says the run got as far as starting.
        }
        catch (UnauthorizedAccessException)
        {
        }
    }

    /// <summary>Stops claiming, gives running hands the grace period, then cancels the rest and waits for their finish to be written.</summary>
    public override async Task StopAsync(CancellationToken cancellationToken)
    {
        _draining = true;
        var running = _active.Values.Select(a => a.Task!).Where(t => t is not null).ToArray();
        if (running.Length > 0)
        {
            LogWaitingForRuns(running.Length, _grace);
            var all = Task.WhenAll(running);
            if (await Task.WhenAny(all, Task.Delay(_grace, _time, cancellationToken)).ConfigureAwait(false) != all)
            {
                LogCancellingAfterGrace(_active.Count);
                await _hardStop.CancelAsync().ConfigureAwait(false);
                await all.WaitAsync(TimeSpan.FromSeconds(10), _time, CancellationToken.None).ContinueWith(_ => { }, TaskScheduler.Default).ConfigureAwait(false);
            }
        }
        await base.StopAsync(cancellationToken).ConfigureAwait(false);
    }

    public override void Dispose()
    {
        // Registered both as itself and as a hosted service: disposed twice.
        if (Interlocked.Exchange(ref _disposed, 1) == 1) return;
        _hardStop.Cancel();
        _hardStop.Dispose();
        base.Dispose();
    }

    private int _disposed;

    private sealed class Active(ExecutionRecord run, CancellationTokenSource cancel)
    {
        public ExecutionRecord Run { get; } = run;
        public CancellationTokenSource Cancel { get; } = cancel;
        public Task? Task { get; set; }
        public int? Pid { get; set; }
        public long? PidStartTime { get; set; }
        public bool PidRecorded { get; set; }
        public bool Lost { get; set; }
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Run {Execution} of {Hand} ended: {Outcome} in {Duration}")]
    private partial void LogRunEnded(string execution, string hand, ExecutionOutcome outcome, TimeSpan duration);

    [LoggerMessage(Level = LogLevel.Error, Message = "Run {Execution} of {Hand} failed unexpectedly")]
    private partial void LogRunFailedUnexpectedly(Exception ex, string execution, string hand);

    [LoggerMessage(Level = LogLevel.Error, Message = "Working run {Execution} of {Hand} failed")]
    private partial void LogRunCrashed(Exception ex, string execution, string hand);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Run {Execution}: the store failed while {What} ({Reason}); retrying")]
    private partial void LogStoreRetry(string execution, string what, string reason);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Run {Execution} of {Hand}: its result was not recorded because another worker took the run over")]
    private partial void LogFinishRefused(string execution, string hand);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Run {Execution} of {Hand}: this worker's claim was lost; stopping it")]
    private partial void LogClaimLost(string execution, string hand);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Run {Execution} of {Hand} was interrupted: the worker running it is gone")]
    private partial void LogInterrupted(string execution, string hand);

    [LoggerMessage(Level = LogLevel.Information, Message = "Run {Execution} of {Hand} was taken up by a worker that stopped before starting it; it runs again")]
    private partial void LogRetriedNeverStarted(string execution, string hand);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Run {Execution} of {Hand}: its process group {Pid} outlived the worker and was killed")]
    private partial void LogOrphanKilled(string execution, string hand, int pid);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Run {Execution} of {Hand} skipped: its event chain is {Depth} runs deep, past [trigger] max_depth")]
    private partial void LogChainStopped(string execution, string hand, int depth);

    [LoggerMessage(Level = LogLevel.Information, Message = "Waiting up to {Grace} for {Count} running hands")]
    private partial void LogWaitingForRuns(int count, TimeSpan grace);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Cancelling {Count} hands still running after the grace period")]
    private partial void LogCancellingAfterGrace(int count);
}
