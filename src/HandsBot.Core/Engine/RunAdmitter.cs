using HandsBot.Core.Model;
using HandsBot.Core.Storage;
using HandsBot.Core.Util;

namespace HandsBot.Core.Engine;

/// <summary>
/// The one way runs are requested (schedule, /run, webhooks, events): a row is written with the hand's
/// overlap policy applied in the same transaction, then the worker is woken and told what to stop.
/// </summary>
public sealed class RunAdmitter(IRunStore runs, RunWorker worker, TimeProvider time)
{
    /// <summary>A new run row for <paramref name="hand"/> (admitted by <see cref="AdmitAsync"/>).</summary>
    public ExecutionRecord NewRun(string hand, RunTrigger trigger)
    {
        var now = time.GetUtcNow();
        return new ExecutionRecord { Id = ShortIds.NewId(), Hand = hand, Trigger = trigger, StartedAt = now, RequestedAt = now, RunState = RunState.Ready };
    }

    public async Task<AdmitResult> AdmitAsync(RunAdmission admission, CancellationToken ct = default) =>
        (await AdmitAsync(new AdmissionBatch([admission], time.GetUtcNow()), ct).ConfigureAwait(false))[0];

    public async Task<IReadOnlyList<AdmitResult>> AdmitAsync(AdmissionBatch batch, CancellationToken ct = default)
    {
        var results = await runs.AdmitAsync(batch, ct).ConfigureAwait(false);
        Notify(results);
        return results;
    }

    /// <summary>Wakes the worker for new ready runs and stops the runs a "replace" superseded.</summary>
    public void Notify(IReadOnlyList<AdmitResult> results)
    {
        var stop = results.SelectMany(r => r.CancelRequested).ToList();
        if (stop.Count > 0) worker.Cancel(stop);
        if (results.Any(r => r.Status == AdmitStatus.Ready)) worker.Wake();
    }
}
