using Cronos;
using HandsBot.Core.Chat;
using HandsBot.Core.Engine;
using HandsBot.Core.Model;
using HandsBot.Core.Access;

namespace HandsBot.Core.Tests.Chat;

/// <summary>An in-memory engine with real behaviour: hands, pause state, triggers, history and first-wins approvals.</summary>
internal sealed class FakeHandsEngine(TimeProvider time) : IHandsEngine
{
    private readonly Lock _gate = new();
    private readonly Dictionary<string, HandView> _hands = new(StringComparer.OrdinalIgnoreCase);

    public List<ExecutionRecord> Executions { get; } = [];
    public List<ApprovalRecord> Approvals { get; } = [];
    public List<(string Hand, RunRequest Request)> Triggers { get; } = [];
    /// <summary>When set, every call throws it (to test the service's error edge).</summary>
    public Exception? Failure { get; set; }

    public HandView AddHand(string name, HandSchedule? schedule = null, bool enabled = true, bool paused = false,
                            HandState state = HandState.Idle, IReadOnlyList<Diagnostic>? diagnostics = null,
                            IReadOnlyList<ApprovalGate>? gates = null, bool unreadable = false,
                            IReadOnlyList<string>? routeProblems = null, string description = "")
    {
        var manifest = unreadable ? null : new HandManifest
        {
            Name = name, Description = description, Schedule = schedule, Enabled = enabled, Gates = gates ?? [],
        };
        var view = new HandView
        {
            Definition = new HandDefinition
            {
                Name = name, Directory = "hands/" + name, ManifestPath = $"hands/{name}/HAND.toml",
                Manifest = manifest, Diagnostics = diagnostics ?? [],
            },
            State = state,
            Paused = paused,
            RouteProblems = routeProblems ?? [],
        };
        view = view with { NextDueAt = manifest is null || paused ? null : FirstFire(manifest) };
        _hands[name] = view;
        return view;
    }

    public void Update(string name, Func<HandView, HandView> change) => _hands[name] = change(_hands[name]);

    public ExecutionRecord AddExecution(string hand, string id, ExecutionOutcome? outcome, string? output = null, string? error = null,
                                        DateTimeOffset? startedAt = null, TimeSpan? duration = null)
    {
        var start = startedAt ?? time.GetUtcNow().AddHours(-Executions.Count - 1);
        var record = new ExecutionRecord
        {
            Id = id, Hand = hand, Trigger = RunTrigger.Schedule, StartedAt = start,
            CompletedAt = outcome is null ? null : start + (duration ?? TimeSpan.FromSeconds(12)),
            Outcome = outcome, Output = output, Error = error,
        };
        Executions.Add(record);
        return record;
    }

    public ApprovalRecord AddApproval(string reference, string hand = "oracle", string gate = "send", string? id = null)
    {
        var record = new ApprovalRecord
        {
            Id = id ?? Guid.NewGuid().ToString("N"), Reference = reference, Hand = hand, ExecutionId = "e1",
            Gate = gate, Action = gate, Summary = "Send the weekly report", CreatedAt = time.GetUtcNow().AddMinutes(-5),
        };
        Approvals.Add(record);
        return record;
    }

    public Task<IReadOnlyList<HandView>> ListHandsAsync(CancellationToken ct = default)
    {
        Fail();
        return Task.FromResult<IReadOnlyList<HandView>>([.. _hands.Values.OrderBy(h => h.Name, StringComparer.OrdinalIgnoreCase)]);
    }

    public Task<HandView?> GetHandAsync(string name, CancellationToken ct = default)
    {
        Fail();
        return Task.FromResult(_hands.GetValueOrDefault(name));
    }

    public IReadOnlyList<DateTimeOffset> NextFireTimes(HandManifest manifest, DateTimeOffset after, int count)
    {
        var result = new List<DateTimeOffset>();
        var at = after;
        for (var i = 0; i < count && Next(manifest.Schedule, at) is { } next; i++)
        {
            result.Add(next);
            at = next;
        }
        return result;
    }

    public Task<TriggerResult> TriggerAsync(string hand, RunRequest request, CancellationToken ct = default)
    {
        Fail();
        if (!_hands.TryGetValue(hand, out var view)) return Task.FromResult(new TriggerResult(TriggerStatus.NotFound) { Suggestions = HandsBot.Core.Text.NameSuggester.Suggest(hand, _hands.Keys) });
        if (!view.Definition.IsValid) return Task.FromResult(new TriggerResult(TriggerStatus.Invalid, view.Name));
        if (view.Manifest is { Enabled: false }) return Task.FromResult(new TriggerResult(TriggerStatus.Disabled, view.Name));
        if (view.Paused) return Task.FromResult(new TriggerResult(TriggerStatus.Paused, view.Name));
        var id = Guid.NewGuid().ToString("N");
        lock (_gate)
        {
            Triggers.Add((view.Name, request));
            Executions.Add(new ExecutionRecord
            {
                Id = id, Hand = view.Name, Trigger = request.Trigger, StartedAt = time.GetUtcNow(), RequestedBy = request.RequestedBy,
            });
            _hands[view.Name] = view with { State = HandState.Running };
        }
        return Task.FromResult(new TriggerResult(TriggerStatus.Started, view.Name, id));
    }

    public Task<StateChangeResult> PauseAsync(string hand, string by, CancellationToken ct = default)
    {
        Fail();
        if (!_hands.TryGetValue(hand, out var view)) return Task.FromResult(new StateChangeResult(StateChangeStatus.NotFound) { Suggestions = HandsBot.Core.Text.NameSuggester.Suggest(hand, _hands.Keys) });
        if (view.Paused) return Task.FromResult(new StateChangeResult(StateChangeStatus.Unchanged, view.Name));
        _hands[view.Name] = view with { Paused = true, NextDueAt = null };
        return Task.FromResult(new StateChangeResult(StateChangeStatus.Changed, view.Name));
    }

    public Task<StateChangeResult> ResumeAsync(string hand, string by, CancellationToken ct = default)
    {
        Fail();
        if (!_hands.TryGetValue(hand, out var view)) return Task.FromResult(new StateChangeResult(StateChangeStatus.NotFound) { Suggestions = HandsBot.Core.Text.NameSuggester.Suggest(hand, _hands.Keys) });
        if (!view.Paused) return Task.FromResult(new StateChangeResult(StateChangeStatus.Unchanged, view.Name));
        var next = view.Manifest is null ? null : FirstFire(view.Manifest);
        _hands[view.Name] = view with { Paused = false, NextDueAt = next };
        return Task.FromResult(new StateChangeResult(StateChangeStatus.Changed, view.Name) { NextDueAt = next });
    }

    public Task<IReadOnlyList<ExecutionRecord>> HistoryAsync(string hand, int count, CancellationToken ct = default)
    {
        Fail();
        return Task.FromResult<IReadOnlyList<ExecutionRecord>>([.. Executions
            .Where(e => string.Equals(e.Hand, hand, StringComparison.OrdinalIgnoreCase))
            .OrderByDescending(e => e.StartedAt).Take(count)]);
    }

    public Task<ExecutionRecord?> FindExecutionAsync(string idOrPrefix, CancellationToken ct = default)
    {
        Fail();
        var matches = Executions.Where(e => e.Id.StartsWith(idOrPrefix, StringComparison.OrdinalIgnoreCase)).ToList();
        return Task.FromResult(matches.Count == 1 ? matches[0] : Executions.FirstOrDefault(e => e.Id == idOrPrefix));
    }

    public Task<IReadOnlyList<ApprovalRecord>> PendingApprovalsAsync(CancellationToken ct = default)
    {
        Fail();
        lock (_gate) return Task.FromResult<IReadOnlyList<ApprovalRecord>>([.. Approvals.Where(a => a.IsPending)]);
    }

    public Task<ApprovalLookup> FindApprovalAsync(string referenceOrPrefix, CancellationToken ct = default)
    {
        Fail();
        lock (_gate)
        {
            var exact = Approvals.FirstOrDefault(a => a.Reference == referenceOrPrefix || a.Id == referenceOrPrefix);
            if (exact is not null) return Task.FromResult(new ApprovalLookup(ApprovalLookupStatus.Found, exact, [exact]));
            var matches = Approvals.Where(a => a.Reference.StartsWith(referenceOrPrefix, StringComparison.Ordinal)
                                               || a.Id.StartsWith(referenceOrPrefix, StringComparison.Ordinal)).ToList();
            return Task.FromResult(matches.Count switch
            {
                0 => new ApprovalLookup(ApprovalLookupStatus.NotFound, null, []),
                1 => new ApprovalLookup(ApprovalLookupStatus.Found, matches[0], matches),
                _ => new ApprovalLookup(ApprovalLookupStatus.Ambiguous, null, matches),
            });
        }
    }

    public Task<DecisionResult> DecideAsync(string approvalId, bool approve, ChatUser decider, CancellationToken ct = default)
    {
        Fail();
        lock (_gate)
        {
            var index = Approvals.FindIndex(a => a.Id == approvalId);
            if (index < 0) return Task.FromResult(new DecisionResult(DecisionStatus.NotFound, null));
            var current = Approvals[index];
            if (!current.IsPending)
                return Task.FromResult(new DecisionResult(DecisionStatus.AlreadyDecided, current));
            var decided = current with
            {
                Status = approve ? ApprovalStatus.Approved : ApprovalStatus.Rejected,
                ResolvedBy = decider.Identity, ResolvedAt = time.GetUtcNow(),
            };
            Approvals[index] = decided;
            return Task.FromResult(new DecisionResult(DecisionStatus.Decided, decided));
        }
    }

    private DateTimeOffset? FirstFire(HandManifest manifest) => Next(manifest.Schedule, time.GetUtcNow());

    private static DateTimeOffset? Next(HandSchedule? schedule, DateTimeOffset after)
    {
        if (schedule is null) return null;
        var zone = TimeZoneInfo.FindSystemTimeZoneById(schedule.TimeZone);
        return schedule.Kind switch
        {
            ScheduleKind.Interval => after + schedule.Interval!.Value,
            ScheduleKind.Cron => CronExpression.Parse(schedule.Cron!).GetNextOccurrence(after, zone),
            _ => schedule.At.Select(t => CronExpression.Parse($"{t.Minute} {t.Hour} * * *").GetNextOccurrence(after, zone))
                            .Where(x => x is not null).Min(),
        };
    }

    private void Fail()
    {
        if (Failure is not null) throw Failure;
    }
}
