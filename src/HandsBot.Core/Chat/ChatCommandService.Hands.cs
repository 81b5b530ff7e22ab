using System.Text;
using HandsBot.Core.Delivery;
using HandsBot.Core.Engine;
using HandsBot.Core.Model;
using HandsBot.Core.Scheduling;
using HandsBot.Core.Buttons;
using HandsBot.Core.Text;

namespace HandsBot.Core.Chat;

public sealed partial class ChatCommandService
{
    private const int MaxHandLine = 240;

    private async Task<ChatReply> HandsCommandAsync(ChatCommand command, CancellationToken ct)
    {
        if (CheckArgs(command, 0, 1) is { } bad) return bad;
        var page = 1;
        if (command.Args.Count == 1 && (!TryParseCount(command.Args[0], out page) || page < 1))
            return Refusal($"The page must be a positive whole number; got {Md.Code(Cap(command.Args[0], 20))}.");
        var hands = await _engine.ListHandsAsync(ct).ConfigureAwait(false);
        return HandsPage(hands, page);
    }

    /// <summary>One page of the listing (clamped to the last page) with Run/Pause/Resume and Prev/Next buttons.</summary>
    private ChatReply HandsPage(IReadOnlyList<HandView> hands, int page)
    {
        if (hands.Count == 0)
            return Reply("No hands yet. Add a folder with a HAND.toml under hands/ and it will appear here.");

        var pages = (hands.Count + HandsPerPage - 1) / HandsPerPage;
        page = Math.Clamp(page, 1, pages);
        var onPage = hands.Skip((page - 1) * HandsPerPage).Take(HandsPerPage).ToList();

        var sb = new StringBuilder();
        sb.Append(pages > 1 ? $"**Hands** · page {page}/{pages} · {hands.Count} hands" : $"**Hands** ({hands.Count})");
        foreach (var hand in onPage) sb.Append('\n').Append(Cap(HandLine(hand), MaxHandLine));

        var rows = new List<IReadOnlyList<ChatButton>>();
        foreach (var pair in onPage.Chunk(2))
        {
            var row = pair.SelectMany(HandButtons).ToList();
            if (row.Count > 0) rows.Add(row);
        }
        var nav = new List<ChatButton>();
        if (page > 1) nav.Add(new ChatButton("◀ Prev", ButtonCodec.Page(page - 1)));
        if (page < pages) nav.Add(new ChatButton("Next ▶", ButtonCodec.Page(page + 1)));
        if (nav.Count > 0) rows.Add(nav);
        return Reply(sb.ToString(), rows);
    }

    /// <summary>The listing page that shows <paramref name="handName"/>.</summary>
    private async Task<ChatReply> HandsPageWithAsync(string handName, CancellationToken ct)
    {
        var hands = await _engine.ListHandsAsync(ct).ConfigureAwait(false);
        var index = hands.ToList().FindIndex(h => string.Equals(h.Name, handName, StringComparison.OrdinalIgnoreCase));
        return HandsPage(hands, index < 0 ? 1 : index / HandsPerPage + 1);
    }

    private string HandLine(HandView hand)
    {
        var state = StateText(hand);
        var name = $"**{Md.Escape(hand.Name)}**";
        if (state == "invalid")
        {
            var first = hand.Definition.Errors.FirstOrDefault()?.Message ?? "the manifest could not be read";
            return $"• {name} — invalid: {Md.Escape(Md.FirstLine(first, 100))}";
        }

        var parts = new List<string> { state, Md.Escape(TriggerText.Describe(hand.Manifest)) };
        if (hand.NextDueAt is { } next && state is not ("paused" or "disabled"))
            parts.Add($"next {TimeText.Relative(next, Now)} ({TimeText.InZone(next, ZoneOf(hand))})");
        if (hand.LastOutcome is { } outcome)
            parts.Add(hand.LastRunAt is { } last
                ? $"last: {Words.Outcome(outcome)} {TimeText.Relative(last, Now)}"
                : $"last: {Words.Outcome(outcome)}");
        else
            parts.Add("never run");
        return $"• {name} — {string.Join(" · ", parts)}";
    }

    private static IEnumerable<ChatButton> HandButtons(HandView hand)
    {
        var state = StateText(hand);
        if (state is "invalid" or "disabled") yield break;
        if (state != "paused" && ButtonCodec.TryEncode(ButtonAction.Run, hand.Name, out var run))
            yield return new ChatButton("Run " + hand.Name, run, ButtonStyle.Primary);
        if (state == "paused")
        {
            if (ButtonCodec.TryEncode(ButtonAction.Resume, hand.Name, out var resume))
                yield return new ChatButton("Resume " + hand.Name, resume, ButtonStyle.Success);
        }
        else if (ButtonCodec.TryEncode(ButtonAction.Pause, hand.Name, out var pause))
        {
            yield return new ChatButton("Pause " + hand.Name, pause);
        }
    }

    /// <summary>running, paused, error, idle, disabled or invalid.</summary>
    internal static string StateText(HandView hand)
    {
        if (!hand.Definition.IsValid || hand.State == HandState.Invalid) return "invalid";
        if (hand.Manifest is { Enabled: false } || hand.State == HandState.Disabled) return "disabled";
        if (hand.Paused || hand.State == HandState.Paused) return "paused";
        return hand.State switch
        {
            HandState.Running => "running",
            HandState.Error => "error",
            _ => "idle",
        };
    }

    private static string ZoneOf(HandView? hand) => hand?.Manifest?.Schedule?.TimeZone ?? "UTC";
}
