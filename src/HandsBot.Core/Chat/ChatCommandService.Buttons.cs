using HandsBot.Core.Access;
using HandsBot.Core.Engine;
using HandsBot.Core.Buttons;

namespace HandsBot.Core.Chat;

public sealed partial class ChatCommandService
{
    private async Task<ButtonReply> HandleParsedButtonAsync(ButtonTap tap, ButtonParseResult parsed, string action, CancellationToken ct)
    {
        if (!parsed.IsOk)
        {
            await AuditAsync(tap.User, tap.Place, action, false, parsed.Status == ButtonParseStatus.UnknownVersion ? "old button version" : "malformed button", ct)
                .ConfigureAwait(false);
            return parsed.Status == ButtonParseStatus.UnknownVersion
                ? RefusedTap("Outdated button", "This button is from an older version of HandsBot; use /approvals or /hands.")
                : RefusedTap("Unknown button", "HandsBot does not recognise this button; use /help.");
        }

        return parsed.Action switch
        {
            ButtonAction.Approve => await DecideTapAsync(tap, parsed.Argument, action, approve: true, ct).ConfigureAwait(false),
            ButtonAction.Reject => await DecideTapAsync(tap, parsed.Argument, action, approve: false, ct).ConfigureAwait(false),
            ButtonAction.Run or ButtonAction.Pause or ButtonAction.Resume =>
                await ControlTapAsync(tap, parsed, action, ct).ConfigureAwait(false),
            ButtonAction.Page => await PageTapAsync(tap, parsed.Argument, action, ct).ConfigureAwait(false),
            _ => await OutputTapAsync(tap, parsed.Argument, action, ct).ConfigureAwait(false),
        };
    }

    private async Task<ButtonReply> DecideTapAsync(ButtonTap tap, string reference, string action, bool approve, CancellationToken ct)
    {
        var lookup = await _engine.FindApprovalAsync(reference, ct).ConfigureAwait(false);
        var decision = await AuthorizeDecisionAsync(tap.User, tap.Place, action, lookup, ct).ConfigureAwait(false);
        if (!decision.Allowed) return RefusedTap("Not allowed", decision.Reason ?? "Not allowed.");

        // A button carries the whole reference, so only an exact match counts.
        if (lookup is not { Status: ApprovalLookupStatus.Found, Approval: { } approval }
            || !string.Equals(approval.Reference, reference, StringComparison.Ordinal))
            return RefusedTap("Approval not found", "That approval no longer exists. /approvals lists the waiting ones.");

        var outcome = await DecideAsync(approval, approve, tap.User, ct).ConfigureAwait(false);
        if (outcome.Approval is null) return RefusedTap(outcome.Toast, outcome.Message);

        var decidedBy = outcome.Ok ? tap.User.DisplayName : null;
        return new ButtonReply
        {
            Toast = Toast(outcome.Toast),
            // Decided now or before: either way the message should show the outcome and lose its buttons.
            UpdatedMessage = Reply(ApprovalMessage(outcome.Approval, decidedBy)),
        };
    }

    private async Task<ButtonReply> ControlTapAsync(ButtonTap tap, ButtonParseResult parsed, string action, CancellationToken ct)
    {
        var refusal = await AuthorizeAsync(tap.User, tap.Place, action, CommandPermission.Operate, ct).ConfigureAwait(false);
        if (refusal is not null) return RefusedTap("Not allowed", refusal.Markdown);

        var (ok, message) = parsed.Action == ButtonAction.Run
            ? await RunAsync(tap.User, tap.Place, parsed.Argument, ct).ConfigureAwait(false)
            : await PauseOrResumeAsync(tap.User, parsed.Argument, parsed.Action == ButtonAction.Pause, ct).ConfigureAwait(false);
        if (!ok) return RefusedTap(ResultText.Plain(message), message);

        return new ButtonReply
        {
            Toast = Toast(ResultText.Plain(message)),
            UpdatedMessage = await HandsPageWithAsync(parsed.Argument, ct).ConfigureAwait(false),
        };
    }

    private async Task<ButtonReply> PageTapAsync(ButtonTap tap, string argument, string action, CancellationToken ct)
    {
        var refusal = await AuthorizeAsync(tap.User, tap.Place, action, CommandPermission.View, ct).ConfigureAwait(false);
        if (refusal is not null) return RefusedTap("Not allowed", refusal.Markdown);

        var page = TryParseCount(argument, out var n) ? n : 1;
        var hands = await _engine.ListHandsAsync(ct).ConfigureAwait(false);
        return new ButtonReply { Toast = $"Page {page}", UpdatedMessage = HandsPage(hands, page) };
    }

    private async Task<ButtonReply> OutputTapAsync(ButtonTap tap, string prefix, string action, CancellationToken ct)
    {
        var refusal = await AuthorizeAsync(tap.User, tap.Place, action, CommandPermission.View, ct).ConfigureAwait(false);
        if (refusal is not null) return RefusedTap("Not allowed", refusal.Markdown);

        var reply = await OutputReplyAsync(prefix, ct).ConfigureAwait(false);
        return reply.IsRefusal
            ? RefusedTap("Run not found", reply.Markdown)
            : new ButtonReply { Toast = "Output of run " + prefix, PrivateReply = reply with { Private = true } };
    }

    /// <summary>A refused tap changes nothing: a toast and a private explanation only.</summary>
    private static ButtonReply RefusedTap(string toast, string explanation) => new()
    {
        Toast = Toast(toast),
        PrivateReply = Refusal(explanation),
        IsRefusal = true,
    };
}
