using System.Globalization;
using HandsBot.Core.Model;
using HandsBot.Core.Registry;
using HandsBot.Core.Scheduling;
using HandsBot.Core.Storage;
using HandsBot.Core.Util;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace HandsBot.Core.Engine;

/// <summary>
/// The cron loop. Sleeps until the earliest due time (no polling), wakes on changes (reload, pause,
/// resume), admits due slots as run rows (one per hand and slot, whoever writes it first), and persists
/// each hand's next due time in the same transaction, so after downtime it knows what it missed and
/// applies the hand's misfire policy, and a slot is never run twice.
/// </summary>
public sealed class Scheduler : BackgroundService
{
    /// <summary>At most this many missed slots are recorded one by one per catch-up.</summary>
    public const int MaxMissedRecords = 20;

    private readonly HandRegistry _registry;
    private readonly IHandsStore _store;
    private readonly RunAdmitter _admitter;
    private readonly TimeProvider _time;
    private readonly ILogger<Scheduler> _logger;
    private readonly AsyncSignal _wake = new();
    private readonly Lock _lock = new();
    private readonly Dictionary<string, Entry> _entries = new(StringComparer.OrdinalIgnoreCase);
    private readonly PriorityQueue<string, DateTimeOffset> _queue = new();
    private volatile bool _dirty = true;
    private DateTimeOffset _startedAt = DateTimeOffset.MaxValue;

    public Scheduler(HandRegistry registry, IHandsStore store, RunAdmitter admitter, TimeProvider time, ILogger<Scheduler> logger)
    {
        _registry = registry;
        _store = store;
        _admitter = admitter;
        _time = time;
        _logger = logger;
        _registry.Changed += _ => Wake();
    }

    private readonly TaskCompletionSource _ready = new(TaskCreationOptions.RunContinuationsAsynchronously);

    /// <summary>Raised after a due slot was handled: fired (a run was admitted, queued or skipped) or recorded as missed.</summary>
    public event Action<SlotHandled>? Handled;

    /// <summary>Completes after the first pass has loaded every hand's due time.</summary>
    public Task Ready => _ready.Task;

    /// <summary>Makes the loop re-read hands and due times (after reload, pause, resume).</summary>
    public void Wake()
    {
        _dirty = true;
        _wake.Set();
    }

    /// <summary>The next due time the loop holds for a hand (null when not scheduled).</summary>
    public DateTimeOffset? NextDue(string hand)
    {
        lock (_lock) return _entries.TryGetValue(hand, out var e) ? e.NextDue : null;
    }

    protected override Task ExecuteAsync(CancellationToken stoppingToken) =>
        ResilientLoop.RunAsync(RunOnceAsync, _time, _logger, "Scheduler pass", stoppingToken);

    /// <summary>One pass: refresh if needed, fire what is due, then sleep until the next due time or a wake.</summary>
    internal async Task RunOnceAsync(CancellationToken ct)
    {
        if (_startedAt == DateTimeOffset.MaxValue) _startedAt = _time.GetUtcNow();
        if (_dirty)
        {
            _dirty = false;
            await RefreshAsync(ct).ConfigureAwait(false);
            _ready.TrySetResult();
        }
        await FireDueAsync(ct).ConfigureAwait(false);
        DateTimeOffset? earliest;
        lock (_lock) earliest = _queue.TryPeek(out _, out var at) ? at : null;
        var now = _time.GetUtcNow();
        TimeSpan? wait = earliest is { } e ? (e > now ? e - now : TimeSpan.Zero) : null;
        if (wait == TimeSpan.Zero) return;
        await _wake.WaitAsync(wait, _time, ct).ConfigureAwait(false);
    }

    /// <summary>Re-reads the hands and their persisted state; new hands get their first due time.</summary>
    internal async Task RefreshAsync(CancellationToken ct)
    {
        var rows = (await _store.ListHandsAsync(ct).ConfigureAwait(false)).ToDictionary(r => r.Name, StringComparer.OrdinalIgnoreCase);
        var now = _time.GetUtcNow();
        var fresh = new Dictionary<string, Entry>(StringComparer.OrdinalIgnoreCase);
        foreach (var hand in _registry.All)
        {
            if (!hand.IsValid || hand.Manifest is not { Enabled: true, Schedule: { } schedule }) continue;
            if (_registry.Find(hand.Name) != hand) continue; // a duplicate name's second folder
            rows.TryGetValue(hand.Name, out var row);
            if (row is { Paused: true }) continue;

            Entry? old;
            lock (_lock) _entries.TryGetValue(hand.Name, out old);
            Entry entry;
            try
            {
                var fingerprint = Fingerprint(schedule);
                if (old is not null && Fingerprint(old.Schedule) == fingerprint)
                {
                    // Same schedule (maybe another description or prompt): keep the due time.
                    entry = old with { Hand = hand, Schedule = schedule, Hash = hand.ContentHash };
                }
                else if (old is null && row?.NextDueAt is { } stored && await StoredFingerprintMatchesAsync(hand.Name, fingerprint, ct).ConfigureAwait(false))
                {
                    // Known from before a restart (or a pause): may be in the past; FireDue applies the misfire policy.
                    entry = new Entry(hand, schedule, hand.ContentHash, stored, FromStore: true);
                }
                else
                {
                    // New hand, or its schedule changed (also while HandsBot was down): schedule from now.
                    var first = First(schedule, now);
                    await _store.SetNextDueAsync(hand.Name, first, ct).ConfigureAwait(false);
                    await _store.SetSettingAsync(FingerprintKey(hand.Name), fingerprint, ct).ConfigureAwait(false);
                    entry = new Entry(hand, schedule, hand.ContentHash, first);
                }
            }
            catch (InvalidOperationException ex)
            {
                // One hand whose schedule never fires must not stop the others from being scheduled.
                _logger.LogError(ex, "Cannot schedule {Hand}: {Problem}", hand.Name, ex.Message);
                continue;
            }
            fresh[hand.Name] = entry;
        }

        // Hands no longer scheduled (removed, disabled, paused) lose their due time.
        foreach (var row in rows.Values.Where(r => r.NextDueAt is not null && !fresh.ContainsKey(r.Name)))
        {
            await _store.SetNextDueAsync(row.Name, null, ct).ConfigureAwait(false);
        }

        lock (_lock)
        {
            _entries.Clear();
            _queue.Clear();
            foreach (var (name, entry) in fresh)
            {
                _entries[name] = entry;
                _queue.Enqueue(name, entry.NextDue);
            }
        }
    }

    /// <summary>
    /// Handles every hand due now as one pass: decides each slot (fire, catch up, or missed), reserves the
    /// runs, stores all their records and next due times in one transaction, then starts them. Many hands
    /// often share a slot (every hour at :00); one transaction keeps the last one's lag near the first's.
    /// </summary>
    private async Task FireDueAsync(CancellationToken ct)
    {
        while (true)
        {
            var now = _time.GetUtcNow();
            var due = new List<Entry>();
            lock (_lock)
            {
                while (_queue.TryPeek(out var name, out var at) && at <= now)
                {
                    _queue.Dequeue();
                    // Lazy deletion: skip queue entries that no longer match the hand's due time.
                    if (_entries.TryGetValue(name, out var entry) && entry.NextDue == at) due.Add(entry);
                }
            }
            if (due.Count == 0) return;

            var decisions = new List<SlotDecision>(due.Count);
            var admissions = new List<RunAdmission>();
            var missed = new List<ExecutionRecord>();
            IReadOnlyList<AdmitResult> results;
            try
            {
                foreach (var entry in due)
                {
                    SlotDecision decision;
                    try
                    {
                        decision = Decide(entry, now);
                    }
                    catch (InvalidOperationException ex)
                    {
                        _logger.LogError("Cannot schedule {Hand} any further: {Problem}", entry.Hand.Name, ex.Message);
                        lock (_lock) _entries.Remove(entry.Hand.Name);
                        continue;
                    }
                    missed.AddRange(decision.Missed);
                    if (decision.Fire is { } slot)
                    {
                        var run = _admitter.NewRun(entry.Hand.Name, RunTrigger.Schedule) with { ScheduledFor = slot };
                        decision.Admission = admissions.Count;
                        admissions.Add(new RunAdmission(run, entry.Hand.Manifest!.Overlap));
                    }
                    decisions.Add(decision);
                }
                // The runs (with their slots) are written with the next due times: a crash leaves both or
                // neither, and a slot already admitted (before a crash, or by another process) is not admitted again.
                var nextDue = decisions.Select(d => KeyValuePair.Create(d.Entry.Hand.Name, d.Next)).ToList();
                results = await _admitter.AdmitAsync(new AdmissionBatch(admissions, now) { Records = missed, NextDue = nextDue }, ct).ConfigureAwait(false);
            }
            catch
            {
                // Nothing was stored: keep the hands due, for the retry.
                lock (_lock)
                {
                    foreach (var entry in due.Where(e => _entries.TryGetValue(e.Hand.Name, out var current) && current == e)) _queue.Enqueue(entry.Hand.Name, entry.NextDue);
                }
                throw;
            }

            foreach (var decision in decisions)
            {
                var admitted = decision.Admission is { } index ? results[index] : null;
                var entry = decision.Entry;
                if (decision.MissedCount > 0) _logger.LogWarning("{Hand} missed {Count} scheduled runs while HandsBot was not running", entry.Hand.Name, decision.MissedCount);
                if (decision.Late && admitted is not null) _logger.LogInformation("Caught up {Hand} for its {Slot} slot ({Status})", entry.Hand.Name, decision.Fire, admitted.Status);
                if (admitted is { Status: AdmitStatus.Skipped }) _logger.LogInformation("Run of {Hand} skipped: run {Blocking} was still running", entry.Hand.Name, admitted.BlockingExecutionId);
                lock (_lock)
                {
                    if (_entries.TryGetValue(entry.Hand.Name, out var current) && current == entry)
                    {
                        _entries[entry.Hand.Name] = entry with { NextDue = decision.Next, FromStore = false };
                        _queue.Enqueue(entry.Hand.Name, decision.Next);
                    }
                }
                Handled?.Invoke(new SlotHandled(entry.Hand.Name, decision.Fire ?? decision.Last, _time.GetUtcNow(), admitted, decision.MissedCount, decision.Next));
            }
        }
    }

    /// <summary>What to do with a due slot: fire it (or the latest of several), record missed ones, and the next due time.</summary>
    private SlotDecision Decide(Entry entry, DateTimeOffset now)
    {
        var name = entry.Hand.Name;
        var schedule = entry.Schedule;
        var slot = entry.NextDue;

        // Every slot from the due one up to now; more than one, or one from before the start, was missed.
        var slots = SlotsUpTo(schedule, slot, now);
        var last = slots.Last;
        var next = ScheduleCalculator.Next(schedule, last);

        // Missed: the slot came while HandsBot was not running, or several slots passed at once (a
        // suspended machine). A single slot that came while running fires, however late.
        var late = slots.Count > 1 || slot < _startedAt;
        if (!late) return new SlotDecision(entry, last, next, slot, [], 0, Late: false);

        var missedCount = slots.Count;
        var recent = slots.Recent;
        DateTimeOffset? fire = null;
        if (schedule.Misfire == MisfirePolicy.RunOnce && now - last <= schedule.MisfireGrace)
        {
            fire = last;
            missedCount--;
            recent = recent.Take(recent.Count - 1).ToList();
        }
        return new SlotDecision(entry, last, next, fire, MissedRecords(name, schedule, recent, missedCount), missedCount, Late: true);
    }

    /// <summary>The slots from <paramref name="first"/> up to <paramref name="now"/>: how many, the last, and the most recent few.</summary>
    internal static SlotRun SlotsUpTo(HandSchedule schedule, DateTimeOffset first, DateTimeOffset now)
    {
        var recent = new Queue<DateTimeOffset>();
        recent.Enqueue(first);
        long count = 1;
        var last = first;
        if (schedule.Kind == ScheduleKind.Interval && schedule.Interval is { Ticks: > 0 } interval)
        {
            // Arithmetic, so a week of downtime on a 1-second interval costs nothing.
            var steps = Math.Max(0, (now - first).Ticks / interval.Ticks);
            count = steps + 1;
            last = first + TimeSpan.FromTicks(steps * interval.Ticks);
            recent.Clear();
            for (var k = Math.Max(0, steps - MaxMissedRecords + 1); k <= steps; k++) recent.Enqueue(first + TimeSpan.FromTicks(k * interval.Ticks));
            return new SlotRun(count, last, [.. recent]);
        }
        while (true)
        {
            var n = ScheduleCalculator.Next(schedule, last);
            if (n > now) break;
            last = n;
            count++;
            recent.Enqueue(n);
            if (recent.Count > MaxMissedRecords) recent.Dequeue();
        }
        return new SlotRun(count, last, [.. recent]);
    }

    private static List<ExecutionRecord> MissedRecords(string hand, HandSchedule schedule, List<DateTimeOffset> recorded, long missedCount)
    {
        if (missedCount <= 0) return [];
        var why = schedule.Misfire == MisfirePolicy.Skip
            ? "HandsBot was not running at this time (misfire = skip)"
            : $"HandsBot was not running at this time and the slot is older than misfire_grace ({schedule.MisfireGrace.TotalSeconds.ToString(CultureInfo.InvariantCulture)} s)";
        return recorded.Select(slot => new ExecutionRecord
        {
            Id = ShortIds.NewId(),
            Hand = hand,
            Trigger = RunTrigger.Schedule,
            StartedAt = slot,
            CompletedAt = slot,
            ScheduledFor = slot,
            Outcome = ExecutionOutcome.Missed,
            RunState = RunState.Done,
            Error = missedCount > recorded.Count && slot == recorded[0] ? $"{why}; {missedCount - recorded.Count} earlier slots were missed too" : why,
        }).ToList();
    }

    /// <summary>What decides the due times; a change to it reschedules the hand from now.</summary>
    internal static string Fingerprint(HandSchedule s) =>
        string.Join('|', s.Kind, s.Cron, s.Interval?.Ticks, string.Join(',', s.At), s.TimeZone);

    private static string FingerprintKey(string hand) => "schedule:" + hand;

    /// <summary>True when the stored due time was computed from this schedule (or from an unknown one, as after an upgrade).</summary>
    private async Task<bool> StoredFingerprintMatchesAsync(string hand, string fingerprint, CancellationToken ct)
    {
        var stored = await _store.GetSettingAsync(FingerprintKey(hand), ct).ConfigureAwait(false);
        return stored is null || stored == fingerprint;
    }

    /// <summary>The first due time of a newly scheduled hand: the next occurrence after now (interval: now + interval).</summary>
    public static DateTimeOffset First(HandSchedule schedule, DateTimeOffset now) => ScheduleCalculator.Next(schedule, now);

    /// <summary>The first due time after a resume: cron/at from now; interval continues its grid from the old anchor.</summary>
    public static DateTimeOffset AfterResume(HandSchedule schedule, DateTimeOffset? previous, DateTimeOffset now)
    {
        if (schedule.Kind == ScheduleKind.Interval && previous is { } anchor && schedule.Interval is { Ticks: > 0 } interval)
        {
            if (anchor > now) return anchor;
            var steps = (now - anchor).Ticks / interval.Ticks + 1;
            return anchor + TimeSpan.FromTicks(steps * interval.Ticks);
        }
        return ScheduleCalculator.Next(schedule, now);
    }

    private sealed record Entry(HandDefinition Hand, HandSchedule Schedule, string Hash, DateTimeOffset NextDue, bool FromStore = false);

    internal sealed record SlotRun(long Count, DateTimeOffset Last, List<DateTimeOffset> Recent);

    private sealed record SlotDecision(Entry Entry, DateTimeOffset Last, DateTimeOffset Next, DateTimeOffset? Fire, List<ExecutionRecord> Missed, long MissedCount, bool Late)
    {
        /// <summary>The index of the slot's admission in the pass, when it fires.</summary>
        public int? Admission { get; set; }
    }
}

/// <summary>What the scheduler did with a due slot: <see cref="Admitted"/> is null when nothing was fired.</summary>
public sealed record SlotHandled(string Hand, DateTimeOffset Slot, DateTimeOffset HandledAt, AdmitResult? Admitted, long Missed, DateTimeOffset Next);
