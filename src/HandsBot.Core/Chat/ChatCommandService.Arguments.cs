using System.Globalization;
using HandsBot.Core.Engine;
using HandsBot.Core.Text;

namespace HandsBot.Core.Chat;

public sealed partial class ChatCommandService
{
    /// <summary>A one-line explanation when the argument count is wrong, else null.</summary>
    private static ChatReply? CheckArgs(ChatCommand command, int min, int max)
    {
        var spec = CommandCatalog.Find(NormaliseName(command.Name));
        var usage = spec?.Info.Usage ?? "/" + command.Name;
        var count = command.Args.Count;
        if (count < min)
            return Refusal($"Missing argument. Usage: {Md.Code(usage)}");
        if (count > max)
            return Refusal(max == 0
                ? $"{Md.Code("/" + spec?.Info.Name)} takes no arguments. Usage: {Md.Code(usage)}"
                : $"Too many arguments ({count}). Usage: {Md.Code(usage)}");
        return null;
    }

    /// <summary>The hand by case-insensitive name, or a refusal naming the closest hands.</summary>
    private async Task<(HandView? Hand, ChatReply? Refusal)> FindHandAsync(string typed, CancellationToken ct)
    {
        var hand = await _engine.GetHandAsync(typed, ct).ConfigureAwait(false);
        if (hand is not null) return (hand, null);
        return (null, await UnknownHandAsync(typed, ct).ConfigureAwait(false));
    }

    private async Task<ChatReply> UnknownHandAsync(string typed, CancellationToken ct)
    {
        var names = (await _engine.ListHandsAsync(ct).ConfigureAwait(false)).Select(h => h.Name);
        var suggestions = NameSuggester.Suggest(typed, names);
        var shown = Md.Code(Cap(typed, 40));
        return Refusal(suggestions.Count == 0
            ? $"No hand named {shown}. /hands lists them all."
            : $"No hand named {shown}. Did you mean {string.Join(" or ", suggestions.Select(Md.Code))}?");
    }

    private static bool TryParseCount(string text, out int n) =>
        int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out n);
}
