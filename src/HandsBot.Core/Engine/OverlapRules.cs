using HandsBot.Core.Model;

namespace HandsBot.Core.Engine;

/// <summary>
/// A hand's overlap policy as a pure decision over its active runs, so every store applies it the same
/// way inside the transaction that admits the run (one process or many).
/// </summary>
public static class OverlapRules
{
    /// <summary>An active run of the hand that the policy counts (not the runs approvals release).</summary>
    public sealed record ActiveRun(string Id, RunState State);

    public enum Verdict { Ready, Queued, Skipped }

    /// <summary>
    /// The new run's fate, the run it waits for or was skipped for, and what a "replace" supersedes: running
    /// runs to stop, ready ones to cancel before they start, queued ones to drop.
    /// </summary>
    public sealed record Decision(Verdict Verdict, string? Blocking)
    {
        public IReadOnlyList<string> StopRunning { get; init; } = [];
        public IReadOnlyList<string> CancelReady { get; init; } = [];
        public IReadOnlyList<string> DropQueued { get; init; } = [];
    }

    /// <summary>What a skipped run's record says.</summary>
    public static string SkipReason(OverlapPolicy policy, string blocking)
    {
        var run = blocking.Length <= 8 ? blocking : blocking[..8];
        return policy == OverlapPolicy.Queue
            ? $"run {run} was still running and one run was already queued (overlap = queue)"
            : $"run {run} was still running (overlap = skip)";
    }

    public static Decision Decide(OverlapPolicy? policy, IReadOnlyList<ActiveRun> active)
    {
        if (policy is null || active.Count == 0) return new Decision(Verdict.Ready, null);
        var running = active.Where(r => r.State == RunState.Running).Select(r => r.Id).ToList();
        var ready = active.Where(r => r.State == RunState.Ready).Select(r => r.Id).ToList();
        var queued = active.Where(r => r.State == RunState.Queued).Select(r => r.Id).ToList();
        var current = running.Concat(ready).Concat(queued).First();
        switch (policy)
        {
            case OverlapPolicy.Queue:
                return queued.Count > 0 ? new Decision(Verdict.Skipped, current) : new Decision(Verdict.Queued, current);
            case OverlapPolicy.Replace:
                // The new run waits for the stopped one to end, so two runs of a hand never overlap.
                return new Decision(running.Count > 0 ? Verdict.Queued : Verdict.Ready, running.FirstOrDefault())
                {
                    StopRunning = running,
                    CancelReady = ready,
                    DropQueued = queued,
                };
            default:
                return new Decision(Verdict.Skipped, current);
        }
    }
}
