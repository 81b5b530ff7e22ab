using HandsBot.Core.Access;
using HandsBot.Core.Delivery;
using HandsBot.Core.Model;
using HandsBot.Core.Notices;
using HandsBot.Core.Registry;
using HandsBot.Core.Storage;
using HandsBot.Core.Util;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace HandsBot.Core.Engine;

/// <summary>
/// Decides approvals — by a person, or by the clock (auto_approve_after, expires_after), or because their
/// hand is gone — and writes, in the decision's own transaction, the work it releases: a held broadcast's
/// messages, the run of an approved action or of an agent's continuation, and the edits of every message
/// that showed the request. The first decision wins; nothing is done in memory that a crash could lose.
/// </summary>
public sealed partial class ApprovalService : BackgroundService
{
    public const string SystemDecider = "handsbot";

    private readonly IHandsStore _store;
    private readonly HandRegistry _registry;
    private readonly RunAdmitter _admitter;
    private readonly RunFinisher _finisher;
    private readonly Triggers.EventTriggers _events;
    private readonly Outbox _outbox;
    private readonly AccessPolicy _access;
    private readonly TimeProvider _time;
    private readonly ILogger<ApprovalService> _logger;
    private readonly AsyncSignal _deadlinesChanged = new();

    public ApprovalService(IHandsStore store, HandRegistry registry, RunAdmitter admitter, RunFinisher finisher, Triggers.EventTriggers events, Outbox outbox, AccessPolicy access, TimeProvider time, ILogger<ApprovalService> logger)
    {
        _events = events;
        _store = store;
        _registry = registry;
        _admitter = admitter;
        _finisher = finisher;
        _outbox = outbox;
        _access = access;
        _time = time;
        _logger = logger;
        // A removed or broken hand's pending approvals are closed by the next pass.
        _registry.Changed += _ => Wake();
    }

    /// <summary>Raised after a decision was written (with everything it releases).</summary>
    public event Action<ApprovalRecord>? Decided;

    /// <summary>Re-checks the clock-driven decisions (a new approval with a deadline, a reload).</summary>
    public void Wake() => _deadlinesChanged.Set();

    public async Task<DecisionResult> DecideAsync(string approvalId, bool approve, ChatUser decider, CancellationToken ct)
    {
        var approval = await _store.GetApprovalAsync(approvalId, ct).ConfigureAwait(false);
        if (approval is null) return new DecisionResult(DecisionStatus.NotFound, null);
        if (!approval.IsPending) return new DecisionResult(DecisionStatus.AlreadyDecided, approval);

        var gate = _registry.Find(approval.Hand)?.Manifest?.FindGate(approval.Gate);
        if (!_access.CanDecide(decider, gate)) return new DecisionResult(DecisionStatus.NotAllowed, approval) { Approvers = gate?.Approvers ?? [] };
        var status = approve ? ApprovalStatus.Approved : ApprovalStatus.Rejected;
        return await ResolveAsync(approval, status, DisplayName(decider), null, ct).ConfigureAwait(false);
    }

    private async Task<DecisionResult> ResolveAsync(ApprovalRecord approval, ApprovalStatus status, string decidedBy, string? reason, CancellationToken ct)
    {
        // A decision on a request whose hand is gone carries nothing out: it closes the request.
        if (HandGone(approval) is { } gone && status != ApprovalStatus.Expired)
        {
            (status, decidedBy, reason) = (ApprovalStatus.Expired, SystemDecider, gone);
        }
        var now = _time.GetUtcNow();
        var decided = approval with { Status = status, ResolvedBy = decidedBy, ResolvedAt = now, Reason = reason };
        var decision = await ComposeAsync(decided, ct).ConfigureAwait(false);
        if (!await _store.DecideApprovalAsync(decision, ct).ConfigureAwait(false))
        {
            var current = await _store.GetApprovalAsync(approval.Id, ct).ConfigureAwait(false) ?? approval;
            return new DecisionResult(DecisionStatus.AlreadyDecided, current);
        }
        LogDecided(decided.Reference, decided.Hand, status, decidedBy);
        _outbox.Wake.Set();
        if (decision.Runs.Count > 0) _admitter.Notify([.. decision.Runs.Select(r => new AdmitResult(AdmitStatus.Ready, r.Run.Id))]);
        Decided?.Invoke(decided);
        return new DecisionResult(DecisionStatus.Decided, decided);
    }

    /// <summary>The decision with what it releases: the edits' content, a broadcast's messages, an action's run.</summary>
    private async Task<ApprovalDecision> ComposeAsync(ApprovalRecord decided, CancellationToken ct)
    {
        var decision = new ApprovalDecision
        {
            ApprovalId = decided.Id,
            Status = decided.Status,
            DecidedBy = decided.ResolvedBy!,
            At = decided.ResolvedAt!.Value,
            Reason = decided.Reason,
            DecidedPayloads = _outbox.RenderEdits(RunNotices.ApprovalDecided(decided)),
        };
        var hand = _registry.Find(decided.Hand);
        var parent = await _store.GetExecutionAsync(decided.ExecutionId, ct).ConfigureAwait(false);
        if (hand?.Manifest is not { } manifest || !hand.IsValid || parent is null) return decision;

        var approved = decided.Status is ApprovalStatus.Approved or ApprovalStatus.AutoApproved;
        var context = ApprovalContext.FromJson(decided.ContextJson);
        switch (context.Kind)
        {
            case ApprovalContext.BroadcastKind when approved:
                var files = new List<string>();
                var items = _finisher.OutputItems(manifest, parent, context.Output, ApprovalContext.ParseTarget(context.ReplyTo), files);
                // The output is approved now: the event hands after this one may start (with their overlap policy).
                var children = await _events.ChildrenAsync(parent, ExecutionOutcome.Success, context.Output, ct).ConfigureAwait(false);
                return decision with { Outbox = items, Files = files, Runs = children };
            case ApprovalContext.ActionKind when approved:
            case ApprovalContext.AgentKind:
                // An agent continues either way: on rejection it is told the action was refused.
                var run = _admitter.NewRun(hand.Name, RunTrigger.Approval) with
                {
                    ParentId = parent.Id,
                    ApprovalId = decided.Id,
                    RequestedBy = decided.ResolvedBy,
                    ReplyTo = context.ReplyTo,
                };
                return decision with { Runs = [new RunAdmission(run, Overlap: null)] };
            default:
                return decision;
        }
    }

    /// <summary>Why a request's hand can no longer carry it out (removed, or its HAND.toml broken), or null.</summary>
    private string? HandGone(ApprovalRecord approval)
    {
        var hand = _registry.Find(approval.Hand);
        if (hand is null) return $"the hand {approval.Hand} was removed";
        return hand.IsValid && hand.Manifest?.FindGate(approval.Gate) is not null
            ? null
            : hand.IsValid ? $"the hand {approval.Hand} no longer has the gate {approval.Gate}" : $"the HAND.toml of {approval.Hand} has errors";
    }

    /// <summary>Applies auto-approvals and expiries that are due and closes requests of removed hands; returns when the next one is due.</summary>
    internal async Task<DateTimeOffset?> ApplyDueAsync(CancellationToken ct)
    {
        var now = _time.GetUtcNow();
        DateTimeOffset? next = null;
        foreach (var approval in await _store.ListPendingApprovalsAsync(ct).ConfigureAwait(false))
        {
            if (_registry.IsLoaded && HandGone(approval) is { } gone)
            {
                await ResolveAsync(approval, ApprovalStatus.Expired, SystemDecider, gone, ct).ConfigureAwait(false);
                continue;
            }
            // Whichever deadline comes first decides.
            var (due, status) = (approval.AutoApproveAt, approval.ExpiresAt) switch
            {
                ({ } a, { } e) => a <= e ? (a, ApprovalStatus.AutoApproved) : (e, ApprovalStatus.Expired),
                ({ } a, null) => (a, ApprovalStatus.AutoApproved),
                (null, { } e) => (e, ApprovalStatus.Expired),
                _ => ((DateTimeOffset?)null, ApprovalStatus.Pending),
            };
            if (due is not { } d) continue;
            if (d <= now)
            {
                await ResolveAsync(approval, status, SystemDecider, null, ct).ConfigureAwait(false);
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
                var now = _time.GetUtcNow();
                // New approvals are written by run finishes (maybe on another worker): look again within a minute.
                var wait = next is { } n ? (n > now ? n - now : TimeSpan.Zero) : TimeSpan.FromMinutes(1);
                await _deadlinesChanged.WaitAsync(wait < TimeSpan.FromMinutes(1) ? wait : TimeSpan.FromMinutes(1), _time, ct).ConfigureAwait(false);
            },
            _time,
            _logger,
            "Applying approval deadlines",
            stoppingToken);

    private static string DisplayName(ChatUser user) =>
        string.IsNullOrWhiteSpace(user.DisplayName) || user.DisplayName == user.UserId ? user.Identity : $"{user.DisplayName} ({user.Identity})";

    [LoggerMessage(Level = LogLevel.Information, Message = "Approval {Reference} of {Hand} {Status} by {By}")]
    private partial void LogDecided(string reference, string hand, ApprovalStatus status, string by);
}
