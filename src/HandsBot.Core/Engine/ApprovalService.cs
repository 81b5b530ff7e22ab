using HandsBot.Core.Access;
using HandsBot.Core.Chat;
using HandsBot.Core.Model;
using HandsBot.Core.Registry;
using HandsBot.Core.Storage;
using HandsBot.Core.Util;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using HandsBot.Core.Text;

namespace HandsBot.Core.Engine;

/// <summary>
/// Decides approvals — by a person, or by the clock (auto_approve_after, expires_after) — and carries
/// out what was decided: a held broadcast is delivered, an approved action runs, an agent continues.
/// The first decision wins; due times are stored, so the clock's decisions survive restarts.
/// </summary>
public sealed class ApprovalService(
    IHandsStore store,
    HandRegistry registry,
    RunCoordinator coordinator,
    HandExecutor executor,
    ApprovalRequests requests,
    AccessPolicy access,
    TimeProvider time,
    ILogger<ApprovalService> logger) : BackgroundService
{
    public const string SystemDecider = "handsbot";

    /// <summary>Raised after a decision has been carried out.</summary>
    public event Action<ApprovalRecord>? Decided;

    /// <summary>Re-checks the clock-driven decisions (after a new approval was created).</summary>
    public void Wake() => requests.DeadlinesChanged.Set();

    public async Task<DecisionResult> DecideAsync(string approvalId, bool approve, ChatUser decider, CancellationToken ct)
    {
        var approval = await store.GetApprovalAsync(approvalId, ct).ConfigureAwait(false);
        if (approval is null) return new DecisionResult(DecisionStatus.NotFound, null);
        if (!approval.IsPending) return new DecisionResult(DecisionStatus.AlreadyDecided, approval);

        var hand = registry.Find(approval.Hand);
        var gate = hand?.Manifest?.FindGate(approval.Gate);
        if (!access.CanDecide(decider, gate)) return new DecisionResult(DecisionStatus.NotAllowed, approval) { Approvers = gate?.Approvers ?? [] };
        var status = approve ? ApprovalStatus.Approved : ApprovalStatus.Rejected;
        return await ResolveAsync(approval, status, DisplayName(decider), ct).ConfigureAwait(false);
    }

    private async Task<DecisionResult> ResolveAsync(ApprovalRecord approval, ApprovalStatus status, string decidedBy, CancellationToken ct)
    {
        var now = time.GetUtcNow();
        if (!await store.TryResolveApprovalAsync(approval.Id, status, decidedBy, now, ct).ConfigureAwait(false))
        {
            var current = await store.GetApprovalAsync(approval.Id, ct).ConfigureAwait(false) ?? approval;
            return new DecisionResult(DecisionStatus.AlreadyDecided, current);
        }
        var decided = approval with { Status = status, ResolvedBy = decidedBy, ResolvedAt = now };
        logger.LogInformation("Approval {Reference} of {Hand} {Status} by {By}", decided.Reference, decided.Hand, status, decidedBy);
        await requests.UpdateMessagesAsync(decided, CancellationToken.None).ConfigureAwait(false);
        await CarryOutAsync(decided, CancellationToken.None).ConfigureAwait(false);
        Decided?.Invoke(decided);
        return new DecisionResult(DecisionStatus.Decided, decided);
    }

    private async Task CarryOutAsync(ApprovalRecord approval, CancellationToken ct)
    {
        var approved = approval.Status is ApprovalStatus.Approved or ApprovalStatus.AutoApproved;
        var context = ApprovalContext.FromJson(approval.ContextJson);
        var parent = await store.GetExecutionAsync(approval.ExecutionId, ct).ConfigureAwait(false);
        var hand = registry.Find(approval.Hand);
        if (parent is null || hand?.Manifest is null)
        {
            logger.LogWarning("Approval {Reference}: hand {Hand} or execution {Execution} is gone; nothing to carry out", approval.Reference, approval.Hand, approval.ExecutionId);
            return;
        }
        var decision = new DecidedApproval(approval, parent, approved, approval.ResolvedBy ?? SystemDecider);
        switch (context.Kind)
        {
            case ApprovalContext.BroadcastKind when approved:
                var plan = new RunPlan(hand, parent.Trigger) { Decision = decision };
                await executor.DeliverOutputAsync(plan, parent, context.Output, ApprovalContext.ParseTarget(context.ReplyTo), ct).ConfigureAwait(false);
                break;
            case ApprovalContext.ActionKind when approved:
            case ApprovalContext.AgentKind:
                // An agent continues either way: on rejection it is told the action was refused.
                await coordinator.StartAsync(new RunPlan(hand, RunTrigger.Approval) { Decision = decision, RequestedBy = approval.ResolvedBy }, applyOverlap: false, ct).ConfigureAwait(false);
                break;
        }
        await CompleteParentIfSettledAsync(parent, ct).ConfigureAwait(false);
    }

    /// <summary>A run waiting for approvals becomes a success once none of its approvals is pending.</summary>
    private async Task CompleteParentIfSettledAsync(ExecutionRecord parent, CancellationToken ct)
    {
        if (parent.Outcome != ExecutionOutcome.ApprovalPending) return;
        var all = await store.ListApprovalsForExecutionAsync(parent.Id, ct).ConfigureAwait(false);
        if (all.Any(a => a.IsPending)) return;
        await store.CompleteExecutionAsync(new ExecutionCompletion(parent.Id, ExecutionOutcome.Success, parent.CompletedAt ?? time.GetUtcNow(), parent.Output, parent.Error, parent.Stderr, parent.Files), ct).ConfigureAwait(false);
    }

    /// <summary>Applies auto-approvals and expiries that are due; returns when the next one is due.</summary>
    internal async Task<DateTimeOffset?> ApplyDueAsync(CancellationToken ct)
    {
        var now = time.GetUtcNow();
        DateTimeOffset? next = null;
        foreach (var approval in await store.ListPendingApprovalsAsync(ct).ConfigureAwait(false))
        {
            // Whichever deadline comes first decides.
            var auto = approval.AutoApproveAt;
            var expires = approval.ExpiresAt;
            var (due, status) = (auto, expires) switch
            {
                ({ } a, { } e) => a <= e ? (a, ApprovalStatus.AutoApproved) : (e, ApprovalStatus.Expired),
                ({ } a, null) => (a, ApprovalStatus.AutoApproved),
                (null, { } e) => (e, ApprovalStatus.Expired),
                _ => ((DateTimeOffset?)null, ApprovalStatus.Pending),
            };
            if (due is not { } d) continue;
            if (d <= now)
            {
                await ResolveAsync(approval, status, SystemDecider, ct).ConfigureAwait(false);
            }
            else if (next is null || d < next)
            {
                next = d;
            }
        }
        return next;
    }

    protected override Task ExecuteAsync(CancellationToken stoppingToken) =>
        ResilientLoop.RunAsync(
            async ct =>
            {
                var next = await ApplyDueAsync(ct).ConfigureAwait(false);
                var now = time.GetUtcNow();
                await requests.DeadlinesChanged.WaitAsync(next is { } n ? (n > now ? n - now : TimeSpan.Zero) : null, time, ct).ConfigureAwait(false);
            },
            time,
            logger,
            "Applying approval deadlines",
            stoppingToken);

    private static string DisplayName(ChatUser user) =>
        string.IsNullOrWhiteSpace(user.DisplayName) || user.DisplayName == user.UserId ? user.Identity : $"{user.DisplayName} ({user.Identity})";
}
