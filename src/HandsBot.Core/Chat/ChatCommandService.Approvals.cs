using System.Text;
using HandsBot.Core.Access;
using HandsBot.Core.Delivery;
using HandsBot.Core.Engine;
using HandsBot.Core.Model;
using HandsBot.Core.Buttons;
using HandsBot.Core.Text;

namespace HandsBot.Core.Chat;

public sealed partial class ChatCommandService
{
    private const int MaxApprovalsListed = 20;
    /// <summary>One Approve/Reject row per approval; Discord allows five rows.</summary>
    private const int MaxApprovalButtonRows = 5;

    private async Task<ChatReply> ApprovalsCommandAsync(ChatCommand command, CancellationToken ct)
    {
        if (CheckArgs(command, 0, 0) is { } bad) return bad;
        var pending = await _engine.PendingApprovalsAsync(ct).ConfigureAwait(false);
        if (pending.Count == 0) return Reply("No approvals are waiting.");

        var sb = new StringBuilder($"**Waiting for approval** ({pending.Count})");
        foreach (var a in pending.Take(MaxApprovalsListed)) sb.Append("\n• ").Append(ApprovalLine(a));
        if (pending.Count > MaxApprovalsListed) sb.Append($"\n… and {pending.Count - MaxApprovalsListed} more.");
        if (pending.Count > MaxApprovalButtonRows)
            sb.Append($"\nButtons are shown for the first {MaxApprovalButtonRows}; use /approve <reference> or /reject <reference> for the rest.");

        var rows = new List<IReadOnlyList<ChatButton>>();
        foreach (var a in pending.Take(MaxApprovalButtonRows))
        {
            if (ButtonCodec.TryEncode(ButtonAction.Approve, a.Reference, out var yes)
                && ButtonCodec.TryEncode(ButtonAction.Reject, a.Reference, out var no))
            {
                rows.Add([new ChatButton("Approve " + a.Reference, yes, ButtonStyle.Success),
                          new ChatButton("Reject " + a.Reference, no, ButtonStyle.Danger)]);
            }
        }
        return Reply(sb.ToString(), rows);
    }

    private async Task<ChatReply> DecideCommandAsync(ChatCommand command, string action, bool approve, CancellationToken ct)
    {
        if (command.Args.Count != 1)
        {
            // Authorise (and record) before explaining the usage, like every other command.
            var refusal = await AuthorizeAsync(command.User, command.Place, action, CommandPermission.Operate, ct).ConfigureAwait(false);
            return refusal ?? CheckArgs(command, 1, 1)!;
        }

        var typed = command.Args[0];
        var lookup = await _engine.FindApprovalAsync(typed, ct).ConfigureAwait(false);
        var decision = await AuthorizeDecisionAsync(command.User, command.Place, action, lookup, ct).ConfigureAwait(false);
        if (!decision.Allowed) return Refusal(decision.Reason ?? "Not allowed.");

        var shown = Md.Code(Cap(typed, 40));
        switch (lookup.Status)
        {
            case ApprovalLookupStatus.NotFound:
                return Refusal($"No approval matches {shown}. /approvals lists the waiting ones.");
            case ApprovalLookupStatus.Ambiguous:
                var candidates = string.Join(", ", lookup.Candidates.Take(10).Select(a => $"{Md.Code(a.Reference)} ({Md.Escape(a.Hand)} · {Md.Escape(a.Action)})"));
                return Refusal($"{shown} matches several approvals: {candidates}. Type more of the reference.");
        }

        var outcome = await DecideAsync(lookup.Approval!, approve, command.User, ct).ConfigureAwait(false);
        return outcome.Ok ? Reply(outcome.Message) : Refusal(outcome.Message);
    }

    /// <summary>
    /// The gate's named approvers when it names any (in a configured place or a private chat), else operators.
    /// Records the attempt.
    /// </summary>
    private async Task<AccessDecision> AuthorizeDecisionAsync(ChatUser user, ChatPlace place, string action, ApprovalLookup lookup, CancellationToken ct)
    {
        var gate = lookup is { Status: ApprovalLookupStatus.Found, Approval: { } approval }
            ? (await _engine.GetHandAsync(approval.Hand, ct).ConfigureAwait(false))?.Manifest?.FindGate(approval.Gate)
            : null;

        AccessDecision decision;
        if (gate is { Approvers.Count: > 0 })
        {
            if (!_access.CanDecide(user, gate))
                decision = AccessDecision.Deny($"Not allowed: only the approvers named by the \"{gate.Key}\" gate may decide this, and you (\"{user.Identity}\") are not one of them.");
            else if (!_access.IsConfiguredPlace(place) && !place.IsPrivate && _access.RoleOf(user) != Role.Admin)
                decision = AccessDecision.Deny("Not allowed here: this chat is not a configured HandsBot chat. Decide in a private chat with the bot or a configured chat.");
            else
                decision = AccessDecision.Allow;
        }
        else
        {
            decision = _access.Authorize(user, place, CommandPermission.Operate);
        }

        await AuditAsync(user, place, action, decision.Allowed, decision.Reason, ct).ConfigureAwait(false);
        if (!decision.Allowed) LogRefused(user.Identity, action, place.Target.ToString());
        return decision;
    }

    private sealed record DecisionOutcome(bool Ok, string Toast, string Message, ApprovalRecord? Approval);

    private async Task<DecisionOutcome> DecideAsync(ApprovalRecord approval, bool approve, ChatUser user, CancellationToken ct)
    {
        if (!approval.IsPending) return AlreadyDecided(approval);

        var result = await _engine.DecideAsync(approval.Id, approve, user, ct).ConfigureAwait(false);
        var now = result.Approval ?? approval;
        return result.Status switch
        {
            DecisionStatus.Decided => new(true, approve ? "Approved" : "Rejected",
                $"{(approve ? "✅ Approved" : "❌ Rejected")} {Md.Code(now.Reference)}: **{Md.Escape(now.Hand)}** {Md.Escape(now.Action)}.", now),
            DecisionStatus.AlreadyDecided => AlreadyDecided(now),
            DecisionStatus.NotFound => new(false, "Approval not found", "That approval no longer exists. /approvals lists the waiting ones.", null),
            _ => new(false, "Not allowed", NotAllowedToDecide(result.Approvers, user), null),
        };
    }

    private static DecisionOutcome AlreadyDecided(ApprovalRecord approval)
    {
        var status = Words.Approval(approval.Status);
        var by = approval.ResolvedBy is { Length: > 0 } who ? " by " + who : "";
        return new(false, $"Already {status}{by}", $"{Md.Code(approval.Reference)} was already {status}{Md.Escape(by)}.", approval);
    }

    /// <summary>The approval request as text, with its decision when it has one (used to replace the tapped message).</summary>
    private string ApprovalMessage(ApprovalRecord a, string? decidedBy = null)
    {
        var sb = new StringBuilder($"**Approval** {Md.Code(a.Reference)} · **{Md.Escape(a.Hand)}** · {Md.Escape(a.Action)}");
        if (a.Summary.Length > 0) sb.Append('\n').Append(Md.Escape(a.Summary));
        if (!a.IsPending)
        {
            var icon = a.Status is ApprovalStatus.Approved or ApprovalStatus.AutoApproved ? "✅" : "❌";
            var by = decidedBy ?? a.ResolvedBy;
            var when = a.ResolvedAt is { } at ? " · " + TimeText.Utc(at) : "";
            sb.Append($"\n{icon} **{Words.Approval(a.Status)}**{(by is { Length: > 0 } ? " by " + Md.Escape(by) : "")}{when}");
        }
        return sb.ToString();
    }

    private string ApprovalLine(ApprovalRecord a)
    {
        var line = $"{Md.Code(a.Reference)} **{Md.Escape(a.Hand)}** · {Md.Escape(a.Action)}";
        if (a.Summary.Length > 0) line += " — " + Md.Escape(Md.FirstLine(a.Summary, 100));
        line += " · asked " + TimeText.Relative(a.CreatedAt, Now);
        if (a.AutoApproveAt is { } auto) line += " · auto-approves " + TimeText.Relative(auto, Now);
        else if (a.ExpiresAt is { } expires) line += " · expires " + TimeText.Relative(expires, Now);
        return line;
    }

    private static string NotAllowedToDecide(IReadOnlyList<string> approvers, ChatUser user)
    {
        var who = approvers.Count > 0 ? "the gate's approvers (" + string.Join(", ", approvers.Select(Md.Code)) + ")" : "admins and operators";
        return $"Not allowed: only {who} may decide this request. Your identity is {Md.Code(user.Identity)}.";
    }
}
