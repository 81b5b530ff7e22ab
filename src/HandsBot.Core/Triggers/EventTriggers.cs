using HandsBot.Core.Model;
using HandsBot.Core.Registry;
using HandsBot.Core.Storage;
using HandsBot.Core.Util;

namespace HandsBot.Core.Triggers;

/// <summary>
/// The event runs a finished run starts: one per event hand whose [trigger] after names the run's hand,
/// whose <c>on</c> takes the outcome and whose filter passes the output. They are admitted in the same
/// transaction as the parent's outcome (or, for output a broadcast gate held, as its approval), so a
/// crash can neither lose nor double them; the store keeps one per (parent run, hand).
/// </summary>
public sealed class EventTriggers(HandRegistry registry, IHandStore hands, TimeProvider time)
{
    /// <summary>The children of <paramref name="parent"/> ending with <paramref name="outcome"/> and <paramref name="output"/>; paused, disabled and invalid hands start nothing.</summary>
    public async Task<IReadOnlyList<RunAdmission>> ChildrenAsync(ExecutionRecord parent, ExecutionOutcome outcome, string? output, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(parent);
        var candidates = registry.All
            .Where(h => h.IsValid && h.Manifest is { Enabled: true, Trigger: TriggerKind.Event, Event: { } spec }
                        && spec.After.Contains(parent.Hand, StringComparer.Ordinal)
                        && spec.Matches(outcome))
            .ToList();
        if (candidates.Count == 0) return [];

        var paused = (await hands.ListHandsAsync(ct).ConfigureAwait(false)).Where(r => r.Paused).Select(r => r.Name).ToHashSet(StringComparer.OrdinalIgnoreCase);
        var now = time.GetUtcNow();
        var children = new List<RunAdmission>();
        foreach (var hand in candidates)
        {
            var manifest = hand.Manifest!;
            if (paused.Contains(hand.Name) || !OutputFilter.Passes(manifest.Event!, output)) continue;
            var run = new ExecutionRecord
            {
                Id = ShortIds.NewId(),
                Hand = hand.Name,
                Trigger = RunTrigger.Event,
                StartedAt = now,
                RequestedAt = now,
                RunState = RunState.Ready,
                ParentId = parent.Id,
                RequestedBy = $"{parent.Hand} run {ShortIds.Short(parent.Id)}",
                ChainDepth = parent.ChainDepth + 1,
            };
            children.Add(new RunAdmission(run, manifest.Overlap));
        }
        return children;
    }

    /// <summary>Why an event run must not start because its chain is too deep, or null when it may run.</summary>
    public static string? DepthProblem(HandManifest manifest, ExecutionRecord run, IReadOnlyList<string> chain)
    {
        ArgumentNullException.ThrowIfNull(manifest);
        ArgumentNullException.ThrowIfNull(run);
        var limit = manifest.Event?.MaxDepth ?? EventTriggerSpec.DefaultMaxDepth;
        if (run.Trigger != RunTrigger.Event || run.ChainDepth <= limit) return null;
        var path = chain.Count > 0 ? $" ({string.Join(" → ", chain)})" : "";
        return $"event chain stopped: this run would be event number {run.ChainDepth} in a row{path} and [trigger] max_depth is {limit}";
    }
}
