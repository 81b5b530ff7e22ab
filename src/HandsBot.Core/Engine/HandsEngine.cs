using HandsBot.Core.Chat;
using HandsBot.Core.Model;
using HandsBot.Core.Registry;
using HandsBot.Core.Scheduling;
using HandsBot.Core.Storage;
using HandsBot.Core.Util;
using Microsoft.Extensions.Logging;
using HandsBot.Core.Access;
using HandsBot.Core.Text;

namespace HandsBot.Core.Engine;

/// <summary>The engine as the chat surface sees it: hands with live state, runs, pause/resume, history, approvals.</summary>
public sealed class HandsEngine(
    HandRegistry registry,
    IHandsStore store,
    RunAdmitter admitter,
    Scheduler scheduler,
    ApprovalService approvals,
    TimeProvider time,
    ILogger<HandsEngine> logger) : IHandsEngine
{
    public async Task<IReadOnlyList<HandView>> ListHandsAsync(CancellationToken ct = default)
    {
        var rows = (await store.ListHandsAsync(ct).ConfigureAwait(false)).ToDictionary(r => r.Name, StringComparer.OrdinalIgnoreCase);
        var running = await RunningHandsAsync(ct).ConfigureAwait(false);
        return registry.All.Select(h => View(h, registry.Find(h.Name) == h ? rows.GetValueOrDefault(h.Name) : null, running.Contains(h.Name))).ToList();
    }

    public async Task<HandView?> GetHandAsync(string name, CancellationToken ct = default)
    {
        var hand = registry.Find(name);
        if (hand is null) return null;
        var row = await store.GetHandAsync(hand.Name, ct).ConfigureAwait(false);
        var view = View(hand, row, (await RunningHandsAsync(ct).ConfigureAwait(false)).Contains(hand.Name));
        return view with
        {
            RouteProblems = await RouteProblemsAsync(hand.Name, ct).ConfigureAwait(false),
            LastDelivery = await LastDeliveryAsync(hand, ct).ConfigureAwait(false),
        };
    }

    public IReadOnlyList<DateTimeOffset> NextFireTimes(HandManifest manifest, DateTimeOffset after, int count)
    {
        if (manifest.Schedule is not { } schedule) return [];
        var times = new List<DateTimeOffset>(count);
        var t = after;
        for (var i = 0; i < count; i++)
        {
            t = ScheduleCalculator.Next(schedule, t);
            times.Add(t);
        }
        return times;
    }

    public async Task<TriggerResult> TriggerAsync(string hand, RunRequest request, CancellationToken ct = default)
    {
        var definition = registry.Find(hand);
        if (definition is null) return new TriggerResult(TriggerStatus.NotFound) { Suggestions = Suggest(hand) };
        if (!definition.IsValid) return new TriggerResult(TriggerStatus.Invalid, definition.Name) { Errors = [.. definition.Errors] };
        if (!definition.Manifest!.Enabled) return new TriggerResult(TriggerStatus.Disabled, definition.Name);
        var row = await store.GetHandAsync(definition.Name, ct).ConfigureAwait(false);
        if (row is { Paused: true }) return new TriggerResult(TriggerStatus.Paused, definition.Name);

        var run = admitter.NewRun(definition.Name, request.Trigger) with
        {
            RequestedBy = request.RequestedBy,
            ReplyTo = ApprovalContext.FormatTarget(request.ReplyTo),
            DeliveryId = request.DeliveryId,
            Payload = request.Payload,
            PayloadType = request.PayloadType,
        };
        var result = await admitter.AdmitAsync(new RunAdmission(run, definition.Manifest.Overlap), ct).ConfigureAwait(false);
        return result.Status switch
        {
            AdmitStatus.Ready => new TriggerResult(TriggerStatus.Started, definition.Name, result.ExecutionId),
            AdmitStatus.Queued => new TriggerResult(TriggerStatus.Queued, definition.Name, result.ExecutionId) { BlockingExecutionId = result.BlockingExecutionId },
            AdmitStatus.Duplicate => new TriggerResult(TriggerStatus.Duplicate, definition.Name, result.ExecutionId),
            _ => new TriggerResult(TriggerStatus.Skipped, definition.Name, result.ExecutionId) { BlockingExecutionId = result.BlockingExecutionId, Overlap = definition.Manifest.Overlap },
        };
    }

    public async Task<StateChangeResult> PauseAsync(string hand, string by, CancellationToken ct = default)
    {
        var definition = registry.Find(hand);
        if (definition is null) return new StateChangeResult(StateChangeStatus.NotFound) { Suggestions = Suggest(hand) };
        var row = await store.GetHandAsync(definition.Name, ct).ConfigureAwait(false);
        var running = (await RunningHandsAsync(ct).ConfigureAwait(false)).Contains(definition.Name);
        if (row is { Paused: true }) return new StateChangeResult(StateChangeStatus.Unchanged, definition.Name) { RunInProgress = running };
        await store.SetPausedAsync(definition.Name, true, ct).ConfigureAwait(false);
        await store.DropQueuedAsync(definition.Name, $"{definition.Name} was paused by {by} while this run waited", time.GetUtcNow(), ct).ConfigureAwait(false);
        scheduler.Wake();
        logger.LogInformation("{Hand} paused by {By}", definition.Name, by);
        return new StateChangeResult(StateChangeStatus.Changed, definition.Name) { RunInProgress = running };
    }

    public async Task<StateChangeResult> ResumeAsync(string hand, string by, CancellationToken ct = default)
    {
        var definition = registry.Find(hand);
        if (definition is null) return new StateChangeResult(StateChangeStatus.NotFound) { Suggestions = Suggest(hand) };
        var row = await store.GetHandAsync(definition.Name, ct).ConfigureAwait(false);
        if (row is not { Paused: true }) return new StateChangeResult(StateChangeStatus.Unchanged, definition.Name) { NextDueAt = row?.NextDueAt };
        DateTimeOffset? next = null;
        if (definition.Manifest is { Enabled: true, Schedule: { } schedule } && definition.IsValid)
        {
            next = Scheduler.AfterResume(schedule, row.NextDueAt, time.GetUtcNow());
            await store.SetNextDueAsync(definition.Name, next, ct).ConfigureAwait(false);
        }
        await store.SetPausedAsync(definition.Name, false, ct).ConfigureAwait(false);
        scheduler.Wake();
        logger.LogInformation("{Hand} resumed by {By}", definition.Name, by);
        return new StateChangeResult(StateChangeStatus.Changed, definition.Name) { NextDueAt = next };
    }

    /// <summary>Hands with a run admitted and not yet done (ready or running), from the store: every process sees the same.</summary>
    private async Task<HashSet<string>> RunningHandsAsync(CancellationToken ct) =>
        (await store.ListActiveRunsAsync(ct).ConfigureAwait(false))
            .Where(r => r.RunState is RunState.Ready or RunState.Running)
            .Select(r => r.Hand)
            .ToHashSet(StringComparer.OrdinalIgnoreCase);

    private IReadOnlyList<string> Suggest(string typed) => NameSuggester.Suggest(typed, registry.All.Select(h => h.Name));

    public Task<IReadOnlyList<ExecutionRecord>> HistoryAsync(string hand, int count, CancellationToken ct = default) =>
        store.ListExecutionsAsync(registry.Find(hand)?.Name ?? hand, count, ct);

    public async Task<ExecutionRecord?> FindExecutionAsync(string idOrPrefix, CancellationToken ct = default)
    {
        var exact = await store.GetExecutionAsync(idOrPrefix, ct).ConfigureAwait(false);
        if (exact is not null) return exact;
        var found = await store.FindExecutionsByPrefixAsync(idOrPrefix, 2, ct).ConfigureAwait(false);
        return found.Count == 1 ? found[0] : null;
    }

    public Task<IReadOnlyList<ApprovalRecord>> PendingApprovalsAsync(CancellationToken ct = default) => store.ListPendingApprovalsAsync(ct);

    public async Task<ApprovalLookup> FindApprovalAsync(string referenceOrPrefix, CancellationToken ct = default)
    {
        // Only what users are shown matches: the reference, never the internal id.
        var exact = await store.GetApprovalByReferenceAsync(referenceOrPrefix, ct).ConfigureAwait(false);
        if (exact is not null) return new ApprovalLookup(ApprovalLookupStatus.Found, exact, [exact]);
        var found = await store.FindApprovalsByPrefixAsync(referenceOrPrefix, 10, ct).ConfigureAwait(false);
        // Prefer pending requests: an old decided one must not make a short prefix ambiguous.
        var pending = found.Where(a => a.IsPending).ToList();
        var candidates = pending.Count > 0 ? pending : found.ToList();
        return candidates.Count switch
        {
            0 => new ApprovalLookup(ApprovalLookupStatus.NotFound, null, []),
            1 => new ApprovalLookup(ApprovalLookupStatus.Found, candidates[0], candidates),
            _ => new ApprovalLookup(ApprovalLookupStatus.Ambiguous, null, candidates),
        };
    }

    public Task<DecisionResult> DecideAsync(string approvalId, bool approve, ChatUser decider, CancellationToken ct = default) =>
        approvals.DecideAsync(approvalId, approve, decider, ct);

    private HandView View(HandDefinition hand, HandRow? row, bool running)
    {
        var manifest = hand.Manifest;
        var paused = row?.Paused ?? false;
        var state = !hand.IsValid ? HandState.Invalid
            : !manifest!.Enabled ? HandState.Disabled
            : paused ? HandState.Paused
            : running ? HandState.Running
            : row?.LastOutcome is ExecutionOutcome.Failure or ExecutionOutcome.Timeout or ExecutionOutcome.Interrupted ? HandState.Error
            : manifest.Schedule is not null ? HandState.Scheduled
            : HandState.Idle;
        return new HandView
        {
            Definition = hand,
            State = state,
            Paused = paused,
            NextDueAt = state is HandState.Invalid or HandState.Disabled or HandState.Paused ? null : row?.NextDueAt,
            LastRunAt = row?.LastRunAt,
            LastOutcome = row?.LastOutcome,
            LastError = row?.LastError,
            Counters = row?.Counters ?? new HandCounters(0, 0, 0),
        };
    }

    /// <summary>
    /// A webhook hand's latest run started by a call, among its last 20 runs (rows carry their payloads,
    /// so only /status, for one hand, looks; the listing does not).
    /// </summary>
    private async Task<ExecutionRecord?> LastDeliveryAsync(HandDefinition hand, CancellationToken ct) =>
        hand.Manifest?.Trigger != TriggerKind.Webhook
            ? null
            : (await store.ListExecutionsAsync(hand.Name, 20, ct).ConfigureAwait(false)).FirstOrDefault(r => r.Trigger == RunTrigger.Webhook);

    /// <summary>Failed deliveries of the hand still unresolved, of any age, one line per target.</summary>
    private async Task<IReadOnlyList<string>> RouteProblemsAsync(string hand, CancellationToken ct) =>
        [.. (await store.ListDeliveryProblemsAsync(hand, 10, ct).ConfigureAwait(false)).Select(p => $"{p.Target}: delivery failed — {p.Error}")];
}
