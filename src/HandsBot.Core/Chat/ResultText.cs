using HandsBot.Core.Engine;
using HandsBot.Core.Model;
using HandsBot.Core.Text;
using HandsBot.Core.Util;

namespace HandsBot.Core.Chat;

/// <summary>
/// Words the engine's answers (triggers, pause/resume, decisions) once, in Markdown, for every chat and
/// the command line (which shows them as plain text).
/// </summary>
public static class ResultText
{
    /// <summary>Why a trigger did not start a run, or what it did. <paramref name="typed"/> is the name as the user wrote it.</summary>
    public static string Trigger(TriggerResult result, string typed)
    {
        var name = Name(result.Hand ?? typed);
        var run = result.ExecutionId is { } id ? Md.Code(ShortIds.Short(id)) : "";
        var blocking = result.BlockingExecutionId is { } b ? Md.Code(ShortIds.Short(b)) : "another run";
        return result.Status switch
        {
            TriggerStatus.Started => $"▶ {name} started, run {run}.",
            TriggerStatus.Queued => $"⏳ {name} is already running ({blocking}); run {run} is queued and starts when it finishes.",
            TriggerStatus.Skipped => result.Overlap == OverlapPolicy.Queue
                ? $"{name} is already running ({blocking}) and one run is already queued, so this run was skipped (overlap = \"queue\" keeps one)."
                : $"{name} is already running ({blocking}), so this run was skipped (overlap = \"skip\").",
            TriggerStatus.NotFound => UnknownHand(typed, result.Suggestions),
            TriggerStatus.Invalid => $"{name} cannot run: its HAND.toml has errors. /status {Md.Escape(result.Hand)} shows them.",
            TriggerStatus.Disabled => $"{name} is disabled (enabled = false in its HAND.toml).",
            _ => $"{name} is paused. /resume {Md.Escape(result.Hand)} first.",
        };
    }

    public static string Pause(StateChangeResult result, string typed) => result.Status switch
    {
        StateChangeStatus.NotFound => UnknownHand(typed, result.Suggestions),
        StateChangeStatus.Unchanged => $"{Name(result.Hand!)} is already paused. /resume {Md.Escape(result.Hand)} to resume it.",
        _ => $"⏸ {Name(result.Hand!)} is now paused; scheduled runs are skipped until /resume {Md.Escape(result.Hand)}."
             + (result.RunInProgress ? " The run in progress finishes normally." : ""),
    };

    public static string Resume(StateChangeResult result, string typed, DateTimeOffset now, string zone) => result.Status switch
    {
        StateChangeStatus.NotFound => UnknownHand(typed, result.Suggestions),
        StateChangeStatus.Unchanged => $"{Name(result.Hand!)} is not paused.",
        _ => $"▶ {Name(result.Hand!)} is now active again. " + (result.NextDueAt is { } due
            ? $"Next run {TimeText.Relative(due, now)} ({TimeText.InZoneAndUtc(due, zone)})."
            : $"It has no schedule; start it with /run {Md.Escape(result.Hand)}."),
    };

    public static string UnknownHand(string typed, IReadOnlyList<string> suggestions)
    {
        var shown = Md.Code(typed.Length <= 40 ? typed : typed[..39] + "…");
        return suggestions.Count == 0
            ? $"No hand named {shown}. /hands lists them all."
            : $"No hand named {shown}. Did you mean {string.Join(" or ", suggestions.Select(Md.Code))}?";
    }

    /// <summary>The text as plain text: emphasis, code marks and escapes removed (toasts, the command line).</summary>
    public static string Plain(string markdown) =>
        markdown.Replace("**", "", StringComparison.Ordinal).Replace("`", "", StringComparison.Ordinal).Replace("\\", "", StringComparison.Ordinal);

    private static string Name(string hand) => $"**{Md.Escape(hand)}**";
}
