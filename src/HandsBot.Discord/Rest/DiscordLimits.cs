using System.Security.Cryptography;
using System.Text;
using HandsBot.Core.Delivery;

namespace HandsBot.Discord.Rest;

/// <summary>Discord's documented size limits, and helpers that keep every body within them.</summary>
public static class DiscordLimits
{
    public const int ContentLength = 2000;
    public const int NonceLength = 25;
    public const int CustomIdLength = 100;
    public const int ButtonLabelLength = 80;
    public const int ButtonsPerRow = 5;
    public const int Rows = 5;
    public const int AutocompleteChoices = 25;
    public const int ChoiceLength = 100;
    public const int EphemeralFlag = 64;

    /// <summary>Cuts text to <paramref name="max"/> UTF-16 units, ending with an ellipsis when cut.</summary>
    public static string Fit(string text, int max = ContentLength)
    {
        if (text.Length <= max) return text;
        var cut = max - 1;
        if (char.IsHighSurrogate(text[cut - 1])) cut--;
        return string.Concat(text.AsSpan(0, cut), "…");
    }

    /// <summary>
    /// A nonce of at most 25 characters that is the same for every retry of one outbox message:
    /// the key itself when short enough, otherwise a hash of it.
    /// </summary>
    public static string Nonce(string idempotencyKey)
    {
        if (idempotencyKey.Length is > 0 and <= NonceLength) return idempotencyKey;
        var hash = SHA256.HashData(Encoding.UTF8.GetBytes(idempotencyKey));
        return Convert.ToBase64String(hash).Replace('+', '-').Replace('/', '_')[..NonceLength];
    }

    /// <summary>
    /// Action rows of buttons: rows longer than 5 wrap, at most 5 rows, labels cut to 80.
    /// A button whose id exceeds 100 characters cannot work and is left out.
    /// </summary>
    public static IReadOnlyList<Component> Buttons(IReadOnlyList<IReadOnlyList<ChatButton>> rows)
    {
        var result = new List<Component>();
        foreach (var row in rows)
        {
            var usable = row.Where(b => b.Id.Length is > 0 and <= CustomIdLength).ToList();
            for (var i = 0; i < usable.Count && result.Count < Rows; i += ButtonsPerRow)
            {
                result.Add(new Component
                {
                    Type = 1,
                    Components = usable.Skip(i).Take(ButtonsPerRow).Select(Button).ToList(),
                });
            }
        }
        return result;
    }

    private static Component Button(ChatButton button) => new()
    {
        Type = 2,
        Style = button.Style switch
        {
            ButtonStyle.Primary => 1,
            ButtonStyle.Success => 3,
            ButtonStyle.Danger => 4,
            _ => 2,
        },
        Label = Fit(button.Label.Length == 0 ? "·" : button.Label, ButtonLabelLength),
        CustomId = button.Id,
    };
}
