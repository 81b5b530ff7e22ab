using System.Text;

namespace HandsBot.Rendering.Tests.Validators;

/// <summary>
/// Reduces rendered output to its letters for "no text lost" checks: whitespace, markup characters
/// and escapes removed, so the same words compare equal however the parts were cut and reopened.
/// </summary>
public static class VisibleText
{
    private const string MarkupCharacters = "*_~`|>#-[]()\\.:/\u200B•";

    public static string Of(IEnumerable<string> parts, RenderTarget target)
    {
        var all = new StringBuilder();
        foreach (var part in parts)
        {
            all.Append(target switch
            {
                RenderTarget.TelegramHtml => TelegramHtmlValidator.Validate(part, int.MaxValue),
                _ => part,
            });
        }
        return Normalize(all.ToString());
    }

    public static string Normalize(string text)
    {
        var result = new StringBuilder(text.Length);
        foreach (var c in text)
        {
            if (char.IsWhiteSpace(c) || MarkupCharacters.Contains(c)) continue;
            result.Append(c);
        }
        return result.ToString();
    }

    /// <summary>Asserts that every word occurs in <paramref name="visible"/>, in order.</summary>
    public static void AssertContainsInOrder(string visible, IEnumerable<string> words)
    {
        var at = 0;
        foreach (var word in words)
        {
            var normalized = Normalize(word);
            if (normalized.Length == 0) continue;
            var found = visible.IndexOf(normalized, at, StringComparison.Ordinal);
            if (found < 0)
            {
                throw new Xunit.Sdk.XunitException($"Lost '{word}' after position {at} of the rendered text: …{visible.Substring(Math.Max(0, at - 40), Math.Min(80, visible.Length - Math.Max(0, at - 40)))}…");
            }
            at = found + normalized.Length;
        }
    }
}
