using HandsBot.Core.Configuration;
using HandsBot.Core.Delivery;
using HandsBot.Core.Model;
using HandsBot.Core.Registry;
using HandsBot.Core.Storage;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace HandsBot.Core.Engine;

/// <summary>
/// Runs first and stops last: migrates the store, loads the hands, marks runs that were in progress
/// when the process died as interrupted (never re-run silently), and at shutdown gives running hands
/// their grace period before cancelling them.
/// </summary>
public sealed class EngineStartup(
    IHandsStore store,
    HandRegistry registry,
    RunCoordinator coordinator,
    OutboxSender sender,
    ApprovalRequests approvals,
    IOptions<SchedulerOptions> options,
    TimeProvider time,
    ILogger<EngineStartup> logger) : IHostedService
{
    public async Task StartAsync(CancellationToken cancellationToken)
    {
        // Remember every message that shows an approval request, so the decision can update it.
        sender.Delivered += (item, messageId) => approvals.OnRequestDeliveredAsync(item, messageId, CancellationToken.None);
        await store.MigrateAsync(cancellationToken).ConfigureAwait(false);
        await registry.ReloadAsync(cancellationToken).ConfigureAwait(false);
        await RecoverInterruptedAsync(store, time, logger, cancellationToken).ConfigureAwait(false);
    }

    public Task StopAsync(CancellationToken cancellationToken) =>
        coordinator.StopAsync(TimeSpan.FromSeconds(Math.Max(0, options.Value.ShutdownGraceSeconds)));

    /// <summary>Marks every execution still recorded as running as interrupted.</summary>
    public static async Task<int> RecoverInterruptedAsync(IHandsStore store, TimeProvider time, ILogger logger, CancellationToken ct)
    {
        var running = await store.ListRunningExecutionsAsync(ct).ConfigureAwait(false);
        var now = time.GetUtcNow();
        foreach (var execution in running)
        {
            const string error = "HandsBot stopped while this run was in progress; it was not re-run. Use /run to run it again.";
            await store.CompleteExecutionAsync(new ExecutionCompletion(execution.Id, ExecutionOutcome.Interrupted, now, execution.Output, error, execution.Stderr, execution.Files), ct).ConfigureAwait(false);
            await store.RecordRunAsync(execution.Hand, ExecutionOutcome.Interrupted, error, now, ct).ConfigureAwait(false);
            logger.LogWarning("Run {Execution} of {Hand} was interrupted by a restart", execution.Id, execution.Hand);
        }
        return running.Count;
    }
}
