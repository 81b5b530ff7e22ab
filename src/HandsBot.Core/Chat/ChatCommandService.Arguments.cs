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
        return Refusal(ResultText.UnknownHand(typed, NameSuggester.Suggest(typed, names)));
    }

    private static bool TryParseCount(string text, out int n) =>
        int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out n);
}
