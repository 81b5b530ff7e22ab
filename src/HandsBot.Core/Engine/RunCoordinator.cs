using HandsBot.Core.Configuration;
using HandsBot.Core.Model;
using HandsBot.Core.Storage;
using HandsBot.Core.Util;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace HandsBot.Core.Engine;

/// <summary>
/// Starts runs: applies each hand's overlap policy (skip, queue at most one, replace) and a global
/// limit on concurrent runs, so one slow hand never delays another beyond that limit. Every trigger
/// leaves an execution record — a skipped one too — before this returns.
/// </summary>
public sealed class RunCoordinator : IAsyncDisposable
{
    private readonly IHandsStore _store;
    private readonly HandExecutor _executor;
    private readonly TimeProvider _time;
    private readonly ILogger<RunCoordinator> _logger;
    private readonly SemaphoreSlim _slots;
    private readonly Dictionary<string, HandRuns> _hands = new(StringComparer.OrdinalIgnoreCase);
    private readonly Lock _lock = new();
    private readonly CancellationTokenSource _shutdown = new();
    private readonly HashSet<Task> _tasks = [];

    public RunCoordinator(IHandsStore store, HandExecutor executor, IOptions<SchedulerOptions> options, TimeProvider time, ILogger<RunCoordinator> logger)
    {
        _store = store;
        _executor = executor;
        _time = time;
        _logger = logger;
        MaxConcurrentRuns = Math.Max(1, options.Value.MaxConcurrentRuns);
        _slots = new SemaphoreSlim(MaxConcurrentRuns, MaxConcurrentRuns);
    }

    public int MaxConcurrentRuns { get; }

    /// <summary>Runs triggered but waiting for one of the <see cref="MaxConcurrentRuns"/> slots.</summary>
    public int WaitingForSlot => Volatile.Read(ref _waiting);
    private int _waiting;

    /// <summary>Raised when an execution ends (after its record is complete).</summary>
    public event Action<ExecutionRecord>? Completed;

    /// <summary>True while a run of the hand is in progress (or waiting for a global slot).</summary>
    public bool IsRunning(string hand)
    {
        lock (_lock) return _hands.TryGetValue(hand, out var runs) && runs.Current is not null;
    }

    /// <summary>The execution ids in progress, by hand.</summary>
    public IReadOnlyDictionary<string, string> Running
    {
        get
        {
            lock (_lock) return _hands.Where(h => h.Value.Current is not null).ToDictionary(h => h.Key, h => h.Value.Current!.ExecutionId, StringComparer.OrdinalIgnoreCase);
        }
    }

    /// <summary>
    /// Starts (or queues, or skips) a run. <paramref name="applyOverlap"/> is false for the run that
    /// follows an approval, which is not a new occurrence of the hand's work.
    /// </summary>
    public async Task<StartResult> StartAsync(RunPlan plan, bool applyOverlap = true, CancellationToken ct = default)
    {
        var prepared = Prepare(plan, applyOverlap);
        if (prepared.Record is { } record)
        {
            try
            {
                await _store.InsertExecutionAsync(record, ct).ConfigureAwait(false);
            }
            catch
            {
                Abandon(prepared);
                throw;
            }
        }
        return await BeginAsync(prepared).ConfigureAwait(false);
    }

    /// <summary>
    /// Decides what a trigger does under the overlap policy and reserves the hand, without writing.
    /// The caller stores <see cref="PreparedStart.Record"/> (if any), then calls <see cref="BeginAsync"/>,
    /// or <see cref="Abandon"/> if storing failed. The scheduler stores a whole pass in one transaction.
    /// </summary>
    internal PreparedStart Prepare(RunPlan plan, bool applyOverlap)
    {
        var id = ShortIds.NewId();
        var now = _time.GetUtcNow();
        var record = new ExecutionRecord
        {
            Id = id,
            Hand = plan.HandName,
            Trigger = plan.Trigger,
            StartedAt = now,
            ScheduledFor = plan.ScheduledFor,
            RequestedBy = plan.RequestedBy,
            ParentId = plan.Decision?.Parent.Id,
        };

        lock (_lock)
        {
            if (!_hands.TryGetValue(plan.HandName, out var runs)) _hands[plan.HandName] = runs = new HandRuns();
            if (runs.Current is { } current && applyOverlap)
            {
                switch (plan.Hand.Manifest!.Overlap)
                {
                    case OverlapPolicy.Queue when runs.Queued is null:
                        runs.Queued = new QueuedRun(plan, record);
                        return new PreparedStart(plan, null, new StartResult(StartStatus.Queued, id, "queued behind the run in progress") { BlockingExecutionId = current.ExecutionId }, applyOverlap, null);
                    case OverlapPolicy.Replace:
                        runs.Current = new ActiveRun(id, new CancellationTokenSource());
                        return new PreparedStart(plan, record, new StartResult(StartStatus.Started, id), applyOverlap, current);
                    default:
                        var reason = plan.Hand.Manifest.Overlap == OverlapPolicy.Skip
                            ? $"run {ShortIds.Short(current.ExecutionId)} was still running (overlap = skip)"
                            : $"run {ShortIds.Short(current.ExecutionId)} was still running and one run was already queued (overlap = queue)";
                        var skipped = record with { Outcome = ExecutionOutcome.Skipped, CompletedAt = now, Error = reason };
                        return new PreparedStart(plan, skipped, new StartResult(StartStatus.Skipped, id, reason) { BlockingExecutionId = current.ExecutionId }, applyOverlap, null);
                }
            }
            if (runs.Current is null && applyOverlap)
            {
                runs.Current = new ActiveRun(id, new CancellationTokenSource());
            }
            // else: a run after an approval runs beside whatever is in progress, untracked by overlap.
        }
        return new PreparedStart(plan, record, new StartResult(StartStatus.Started, id), applyOverlap, null);
    }

    /// <summary>Starts a prepared run whose record is stored: cancels the run it replaces and launches it.</summary>
    internal async Task<StartResult> BeginAsync(PreparedStart prepared)
    {
        var result = prepared.Result;
        switch (result.Status)
        {
            case StartStatus.Skipped:
                _logger.LogInformation("Run of {Hand} skipped: {Reason}", prepared.Plan.HandName, result.Reason);
                break;
            case StartStatus.Queued:
                _logger.LogInformation("Run of {Hand} queued behind the one in progress", prepared.Plan.HandName);
                break;
            default:
                if (prepared.Replaced is { } replaced)
                {
                    _logger.LogInformation("Run {New} of {Hand} replaces run {Old}", result.ExecutionId, prepared.Plan.HandName, replaced.ExecutionId);
                    await replaced.Cancellation.CancelAsync().ConfigureAwait(false);
                }
                Launch(prepared.Plan, prepared.Record!, prepared.Tracked);
                break;
        }
        return result;
    }

    /// <summary>Releases what <see cref="Prepare"/> reserved when its record could not be stored.</summary>
    internal void Abandon(PreparedStart prepared)
    {
        lock (_lock)
        {
            if (!_hands.TryGetValue(prepared.Plan.HandName, out var runs)) return;
            if (prepared.Result.Status == StartStatus.Queued && runs.Queued?.Record.Id == prepared.Result.ExecutionId) runs.Queued = null;
            if (runs.Current?.ExecutionId == prepared.Result.ExecutionId) runs.Current = prepared.Replaced;
        }
    }

    private void Launch(RunPlan plan, ExecutionRecord record, bool tracked)
    {
        CancellationTokenSource? cts;
        lock (_lock)
        {
            var runs = _hands[plan.HandName];
            cts = tracked && runs.Current?.ExecutionId == record.Id ? runs.Current.Cancellation : new CancellationTokenSource();
        }
        var task = Task.Run(() => RunAsync(plan, record, cts, tracked));
        lock (_lock)
        {
            _tasks.Add(task);
        }
        _ = task.ContinueWith(t => { lock (_lock) _tasks.Remove(t); }, TaskScheduler.Default);
    }

    private async Task RunAsync(RunPlan plan, ExecutionRecord record, CancellationTokenSource cts, bool tracked)
    {
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(cts.Token, _shutdown.Token);
        ExecutionRecord? finished = null;
        var acquired = false;
        try
        {
            Interlocked.Increment(ref _waiting);
            try
            {
                await _slots.WaitAsync(linked.Token).ConfigureAwait(false);
            }
            finally
            {
                Interlocked.Decrement(ref _waiting);
            }
            acquired = true;
            finished = await _executor.ExecuteAsync(plan, record, linked.Token).ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
            // Cancelled while waiting for a slot: it never started.
            var now = _time.GetUtcNow();
            await _store.CompleteExecutionAsync(new ExecutionCompletion(record.Id, ExecutionOutcome.Cancelled, now, null, "cancelled before it started", null, []), CancellationToken.None).ConfigureAwait(false);
            finished = record with { Outcome = ExecutionOutcome.Cancelled, CompletedAt = now };
        }
        catch (Exception ex)
        {
            _logger.LogError(ex, "Run {Execution} of {Hand} failed unexpectedly", record.Id, plan.HandName);
        }
        finally
        {
            if (acquired) _slots.Release();
        }

        QueuedRun? next = null;
        lock (_lock)
        {
            var runs = _hands[plan.HandName];
            if (runs.Current?.ExecutionId == record.Id)
            {
                runs.Current = null;
                if (runs.Queued is { } q && !_shutdown.IsCancellationRequested)
                {
                    runs.Queued = null;
                    runs.Current = new ActiveRun(q.Record.Id, new CancellationTokenSource());
                    next = q;
                }
            }
        }
        if (finished is not null) Completed?.Invoke(finished);
        if (next is not null)
        {
            var started = next.Record with { StartedAt = _time.GetUtcNow() };
            await _store.InsertExecutionAsync(started, CancellationToken.None).ConfigureAwait(false);
            Launch(next.Plan, started, tracked: true);
        }
    }

    /// <summary>Cancels the run in progress for <paramref name="hand"/>, if any.</summary>
    public async Task<bool> CancelAsync(string hand)
    {
        ActiveRun? current;
        lock (_lock) current = _hands.GetValueOrDefault(hand)?.Current;
        if (current is null) return false;
        await current.Cancellation.CancelAsync().ConfigureAwait(false);
        return true;
    }

    /// <summary>Drops a queued run (e.g. when the hand is paused); returns true if there was one.</summary>
    public bool DropQueued(string hand)
    {
        lock (_lock)
        {
            if (_hands.TryGetValue(hand, out var runs) && runs.Queued is not null)
            {
                runs.Queued = null;
                return true;
            }
            return false;
        }
    }

    /// <summary>Waits for runs in progress up to <paramref name="grace"/>, then cancels the rest (recorded cancelled).</summary>
    public async Task StopAsync(TimeSpan grace)
    {
        Task[] tasks;
        lock (_lock)
        {
            foreach (var runs in _hands.Values) runs.Queued = null;
            tasks = [.. _tasks];
        }
        if (tasks.Length == 0) return;
        _logger.LogInformation("Waiting up to {Grace} for {Count} running hands", grace, tasks.Length);
        var all = Task.WhenAll(tasks);
        if (await Task.WhenAny(all, Task.Delay(grace, _time)).ConfigureAwait(false) != all)
        {
            _logger.LogWarning("Cancelling hands still running after the grace period");
            await _shutdown.CancelAsync().ConfigureAwait(false);
            await all.ConfigureAwait(false);
        }
    }

    /// <summary>Waits until nothing is running (tests, `handsbot run`).</summary>
    public async Task WhenIdleAsync(CancellationToken ct = default)
    {
        while (true)
        {
            Task[] tasks;
            lock (_lock) tasks = [.. _tasks];
            if (tasks.Length == 0) return;
            await Task.WhenAll(tasks).WaitAsync(ct).ConfigureAwait(false);
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _shutdown.CancelAsync().ConfigureAwait(false);
        _shutdown.Dispose();
        _slots.Dispose();
    }

    private sealed class HandRuns
    {
        public ActiveRun? Current { get; set; }
        public QueuedRun? Queued { get; set; }
    }

    internal sealed record ActiveRun(string ExecutionId, CancellationTokenSource Cancellation);

    private sealed record QueuedRun(RunPlan Plan, ExecutionRecord Record);
}

/// <summary>A trigger decided but not yet stored: the record to store (none when queued) and what it will do.</summary>
internal sealed record PreparedStart(RunPlan Plan, ExecutionRecord? Record, StartResult Result, bool Tracked, RunCoordinator.ActiveRun? Replaced);
