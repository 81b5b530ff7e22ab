using System.Text;
using HandsBot.Core.Delivery;
using HandsBot.Core.Model;
using HandsBot.Core.Util;
using HandsBot.Core.Scheduling;
using HandsBot.Core.Buttons;
using HandsBot.Core.Text;

namespace HandsBot.Core.Chat;

public sealed partial class ChatCommandService
{
    private const int MaxOutputChars = 12_000;
    private const int MaxOutputButtons = 10;

    private async Task<ChatReply> StatusCommandAsync(ChatCommand command, CancellationToken ct)
    {
        if (CheckArgs(command, 1, 1) is { } bad) return bad;
        var (hand, unknown) = await FindHandAsync(command.Args[0], ct).ConfigureAwait(false);
        if (hand is null) return unknown!;

        var zone = ZoneOf(hand);
        var sb = new StringBuilder();
        sb.Append($"**{Md.Escape(hand.Name)}** — {StateText(hand)}");
        if (hand.Manifest is { Description.Length: > 0 } m) sb.Append('\n').Append(Md.Escape(m.Description));
        sb.Append("\n**Schedule:** ").Append(hand.Definition.IsValid ? Md.Escape(ScheduleDescriber.Describe(hand.Manifest?.Schedule)) : "none: the hand is invalid (problems below)");
        if (hand.Definition.IsValid && hand.Manifest is { Trigger: TriggerKind.Webhook or TriggerKind.Event } triggered)
        {
            sb.Append("\n**Trigger:** ").Append(Md.Escape(triggered.Trigger == TriggerKind.Webhook ? "webhook" : TriggerText.After(triggered.Event!)));
            if (triggered.Trigger == TriggerKind.Webhook)
            {
                sb.Append("\n**Last delivery:** ").Append(hand.LastDelivery is { } d
                    ? $"{TimeText.Utc(d.RequestedAt ?? d.StartedAt)} · {Md.Code(Md.FirstLine(d.DeliveryId ?? "no id", 60))} · run {Md.Code(ShortIds.Short(d.Id))}"
                    : "none yet");
            }
        }

        if (hand.Manifest is { Schedule: not null } manifest)
        {
            var next = _engine.NextFireTimes(manifest, Now, 3);
            if (next.Count > 0)
            {
                sb.Append(hand.Paused ? "\n**Next runs** (once resumed):" : "\n**Next runs:**");
                foreach (var at in next) sb.Append("\n• ").Append(TimeText.InZoneAndUtc(at, zone));
            }
        }

        var recent = await _engine.HistoryAsync(hand.Name, 3, ct).ConfigureAwait(false);
        sb.Append("\n**Last runs:**");
        if (recent.Count == 0) sb.Append(" none yet");
        foreach (var run in recent) sb.Append("\n• ").Append(RunLine(run));

        var c = hand.Counters;
        sb.Append($"\n**Counters:** {Plural(c.Runs, "run", "runs")} · {c.Successes} succeeded · {c.Failures} failed");

        var pending = (await _engine.PendingApprovalsAsync(ct).ConfigureAwait(false))
            .Where(a => string.Equals(a.Hand, hand.Name, StringComparison.OrdinalIgnoreCase)).ToList();
        if (pending.Count > 0)
        {
            sb.Append($"\n**Waiting for approval:** {pending.Count}");
            foreach (var a in pending) sb.Append("\n• ").Append(Md.Code(a.Reference)).Append(' ').Append(Md.Escape(a.Action));
        }

        if (hand.Definition.Diagnostics.Count > 0)
        {
            sb.Append("\n**Manifest problems:**");
            foreach (var d in hand.Definition.Diagnostics) sb.Append("\n• ").Append(Md.Code(d.ToString()));
        }
        if (hand.LastError is { Length: > 0 } error && StateText(hand) == "error")
            sb.Append("\n**Last error:** ").Append(Md.Escape(Md.FirstLine(error, 200)));
        if (hand.RouteProblems.Count > 0)
        {
            sb.Append("\n**Delivery problems:**");
            foreach (var p in hand.RouteProblems) sb.Append("\n• ").Append(Md.Escape(p));
        }
        return Reply(sb.ToString());
    }

    private async Task<ChatReply> HistoryCommandAsync(ChatCommand command, CancellationToken ct)
    {
        if (CheckArgs(command, 1, 2) is { } bad) return bad;
        var count = DefaultHistory;
        if (command.Args.Count == 2 && (!TryParseCount(command.Args[1], out count) || count < 1 || count > MaxHistory))
            return Refusal($"The number of runs must be a whole number from 1 to {MaxHistory}; got {Md.Code(Cap(command.Args[1], 20))}.");

        var (hand, unknown) = await FindHandAsync(command.Args[0], ct).ConfigureAwait(false);
        if (hand is null) return unknown!;

        var runs = await _engine.HistoryAsync(hand.Name, count, ct).ConfigureAwait(false);
        if (runs.Count == 0) return Reply($"**{Md.Escape(hand.Name)}** has not run yet. /run {hand.Name} starts it.");

        var sb = new StringBuilder($"**{Md.Escape(hand.Name)}** · last {Plural(runs.Count, "run", "runs")}");
        foreach (var run in runs) sb.Append("\n• ").Append(RunLine(run));
        sb.Append("\nFull output: /output <run id>");

        var buttons = new List<ChatButton>();
        foreach (var run in runs.Where(r => !string.IsNullOrEmpty(r.Output) || !string.IsNullOrEmpty(r.Error)).Take(MaxOutputButtons))
        {
            if (ButtonCodec.TryEncode(ButtonAction.Output, ShortIds.Short(run.Id), out var id))
                buttons.Add(new ChatButton("Output " + ShortIds.Short(run.Id), id));
        }
        return Reply(sb.ToString(), [.. buttons.Chunk(5).Select(r => (IReadOnlyList<ChatButton>)r)]);
    }

    private async Task<ChatReply> OutputCommandAsync(ChatCommand command, CancellationToken ct)
    {
        if (CheckArgs(command, 1, 1) is { } bad) return bad;
        return await OutputReplyAsync(command.Args[0], ct).ConfigureAwait(false);
    }

    private async Task<ChatReply> OutputReplyAsync(string idOrPrefix, CancellationToken ct)
    {
        var run = await _engine.FindExecutionAsync(idOrPrefix, ct).ConfigureAwait(false);
        if (run is null)
            return Refusal($"No single run matches {Md.Code(Cap(idOrPrefix, 40))}. /history <hand> lists recent runs with their ids.");

        var hand = await _engine.GetHandAsync(run.Hand, ct).ConfigureAwait(false);
        var sb = new StringBuilder($"**{Md.Escape(run.Hand)}** · run {Md.Code(ShortIds.Short(run.Id))} · {RunLine(run, withFirstLine: false)}");
        if (!string.IsNullOrEmpty(run.Output))
        {
            var output = Truncate(run.Output);
            var markdown = hand?.Manifest?.Output.Format is null or OutputFormat.Markdown;
            sb.Append("\n\n").Append(markdown ? output : Md.Block(output));
        }
        if (!string.IsNullOrEmpty(run.Error)) sb.Append("\n\n**Error:**\n").Append(Md.Block(Truncate(run.Error)));
        if (string.IsNullOrEmpty(run.Output) && string.IsNullOrEmpty(run.Error)) sb.Append("\n\n(no output)");
        return Reply(sb.ToString());
    }

    private static string Truncate(string text) =>
        TextCut.Truncate(text, MaxOutputChars, $"\n… ({text.Length - MaxOutputChars} more characters not shown)");

    /// <summary>"`4f2a9c1d` Tue 24 Nov 07:00 UTC · schedule · success · 12 s — first line".</summary>
    private static string RunLine(ExecutionRecord run, bool withFirstLine = true)
    {
        var parts = new List<string>
        {
            TimeText.Utc(run.StartedAt),
            run.Trigger == RunTrigger.Event && run.ParentId is { } parent
                ? $"event after {Md.Escape(run.RequestedBy ?? "run " + ShortIds.Short(parent))}"
                : Words.Trigger(run.Trigger),
            Words.Outcome(run.Outcome),
        };
        if (run.Duration is { } d) parts.Add(TimeText.Span(d));
        var line = (withFirstLine ? Md.Code(ShortIds.Short(run.Id)) + " " : "") + string.Join(" · ", parts);
        if (!withFirstLine) return line;
        var first = Md.FirstLine(run.Outcome is ExecutionOutcome.Success ? run.Output : run.Error ?? run.Output, 60);
        return first.Length == 0 ? line : $"{line} — {Md.Escape(first)}";
    }
}
