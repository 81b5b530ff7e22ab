using HandsBot.Core.Engine;
using HandsBot.Core.Model;
using HandsBot.Core.Util;
using HandsBot.Core.Access;
using HandsBot.Core.Text;

namespace HandsBot.Core.Chat;

public sealed partial class ChatCommandService
{
    private async Task<ChatReply> RunCommandAsync(ChatCommand command, CancellationToken ct)
    {
        if (CheckArgs(command, 1, 1) is { } bad) return bad;
        var (ok, message) = await RunAsync(command.User, command.Place, command.Args[0], ct).ConfigureAwait(false);
        return ok ? Reply(message) : Refusal(message);
    }

    private async Task<ChatReply> PauseOrResumeCommandAsync(ChatCommand command, bool pause, CancellationToken ct)
    {
        if (CheckArgs(command, 1, 1) is { } bad) return bad;
        var (ok, message) = await PauseOrResumeAsync(command.User, command.Args[0], pause, ct).ConfigureAwait(false);
        return ok ? Reply(message) : Refusal(message);
    }

    /// <summary>Starts a manual run; refuses unknown, invalid, disabled and paused hands with the reason.</summary>
    private async Task<(bool Ok, string Message)> RunAsync(ChatUser user, ChatPlace place, string typed, CancellationToken ct)
    {
        var (hand, unknown) = await FindHandAsync(typed, ct).ConfigureAwait(false);
        if (hand is null) return (false, unknown!.Markdown);

        var name = $"**{Md.Escape(hand.Name)}**";
        switch (StateText(hand))
        {
            case "invalid":
                return (false, $"{name} cannot run: its HAND.toml has errors. /status {hand.Name} shows them.");
            case "disabled":
                return (false, $"{name} is disabled (enabled = false in its HAND.toml).");
            case "paused":
                return (false, $"{name} is paused. /resume {hand.Name} first.");
        }

        var replyTo = _output.ReplyToInvoker ? place.Target : null;
        var result = await _engine.TriggerAsync(hand.Name, new RunRequest(RunTrigger.Manual, user.Identity, replyTo), ct)
                                  .ConfigureAwait(false);
        if (!result.Started) return (false, Md.Escape(result.Message));
        var run = result.ExecutionId is { } id ? $", run {Md.Code(ShortIds.Short(id))}" : "";
        var where = replyTo is null ? "" : " The result will be posted here too.";
        return (true, $"▶ {name} started{run}.{where}");
    }

    private async Task<(bool Ok, string Message)> PauseOrResumeAsync(ChatUser user, string typed, bool pause, CancellationToken ct)
    {
        var (hand, unknown) = await FindHandAsync(typed, ct).ConfigureAwait(false);
        if (hand is null) return (false, unknown!.Markdown);

        var name = $"**{Md.Escape(hand.Name)}**";
        var result = pause
            ? await _engine.PauseAsync(hand.Name, user.Identity, ct).ConfigureAwait(false)
            : await _engine.ResumeAsync(hand.Name, user.Identity, ct).ConfigureAwait(false);
        if (!result.Found) return (false, (await UnknownHandAsync(typed, ct).ConfigureAwait(false)).Markdown);
        if (!result.Changed) return (false, Md.Escape(result.Message));

        if (pause) return (true, $"⏸ {name} is now paused; scheduled runs are skipped until /resume {hand.Name}.");
        var next = result.NextDueAt is { } due
            ? $"Next run {TimeText.Relative(due, Now)} ({TimeText.InZoneAndUtc(due, ZoneOf(hand))})."
            : $"It has no schedule; start it with /run {hand.Name}.";
        return (true, $"▶ {name} is now active again. {next}");
    }
}
