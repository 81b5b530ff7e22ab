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

    /// <summary>Starts a manual run; the engine refuses unknown, invalid, disabled and paused hands with the reason.</summary>
    private async Task<(bool Ok, string Message)> RunAsync(ChatUser user, ChatPlace place, string typed, CancellationToken ct)
    {
        var replyTo = _output.ReplyToInvoker ? place.Target : null;
        var result = await _engine.TriggerAsync(typed, new RunRequest(RunTrigger.Manual, user.Identity, replyTo), ct).ConfigureAwait(false);
        var text = ResultText.Trigger(result, typed);
        if (!result.Accepted) return (false, text);
        return (true, replyTo is null ? text : text + " The result will be posted here too.");
    }

    private async Task<(bool Ok, string Message)> PauseOrResumeAsync(ChatUser user, string typed, bool pause, CancellationToken ct)
    {
        if (pause)
        {
            var paused = await _engine.PauseAsync(typed, user.Identity, ct).ConfigureAwait(false);
            return (paused.Changed, ResultText.Pause(paused, typed));
        }
        var resumed = await _engine.ResumeAsync(typed, user.Identity, ct).ConfigureAwait(false);
        var zone = resumed.Hand is { } name ? ZoneOf(await _engine.GetHandAsync(name, ct).ConfigureAwait(false)) : "UTC";
        return (resumed.Changed, ResultText.Resume(resumed, typed, Now, zone));
    }
}
