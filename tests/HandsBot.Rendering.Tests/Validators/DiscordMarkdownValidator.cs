using System.Text;
using System.Text.RegularExpressions;

namespace HandsBot.Rendering.Tests.Validators;

/// <summary>
/// Checks a Discord message independently of the renderer: within the 2000 limit (in UTF-16 code
/// units, which is never less than code points), no mention that would ping (@everyone, @here, user,
/// role and channel mentions), code fences balanced, inline delimiters paired outside code.
/// </summary>
public static partial class DiscordMarkdownValidator
{
    public static void Validate(string message, int maxLength = 2000)
    {
        if (message.Length > maxLength) throw new FormatException($"Message is {message.Length} UTF-16 code units, over {maxLength}.");
        if (string.IsNullOrWhiteSpace(message)) throw new FormatException("Message is empty.");
        for (var i = 0; i < message.Length; i++)
        {
            if (char.IsHighSurrogate(message[i]) && (i + 1 >= message.Length || !char.IsLowSurrogate(message[i + 1]))) throw new FormatException($"Lone high surrogate at {i}");
            if (char.IsLowSurrogate(message[i]) && (i == 0 || !char.IsHighSurrogate(message[i - 1]))) throw new FormatException($"Lone low surrogate at {i}");
        }
        if (Mention().Match(message) is { Success: true } mention) throw new FormatException($"Unneutralised mention '{mention.Value}'.");

        // Discord opens a code block at any ``` (not only at a line start) and closes it at the next.
        var segments = message.Split("```");
        if (segments.Length % 2 == 0) throw new FormatException("Unbalanced code fences.");
        var outsideCode = new StringBuilder();
        for (var i = 0; i < segments.Length; i += 2) outsideCode.Append(segments[i]).Append('\n');
        // A masked link's address is not Markdown.
        CheckInlineDelimiters(LinkAddress().Replace(outsideCode.ToString(), "]"));
    }

    private static void CheckInlineDelimiters(string text)
    {
        var counts = new Dictionary<string, int> { ["**"] = 0, ["__"] = 0, ["~~"] = 0, ["*"] = 0, ["`"] = 0 };
        var inCode = false;
        var codeDelimiter = "";
        for (var i = 0; i < text.Length; i++)
        {
            if (inCode)
            {
                if (string.CompareOrdinal(text, i, codeDelimiter, 0, codeDelimiter.Length) == 0)
                {
                    inCode = false;
                    i += codeDelimiter.Length - 1;
                }
                continue;
            }
            if (text[i] == '\\')
            {
                i++;
                continue;
            }
            if (text[i] == '`')
            {
                codeDelimiter = i + 1 < text.Length && text[i + 1] == '`' ? "``" : "`";
                inCode = true;
                i += codeDelimiter.Length - 1;
                continue;
            }
            foreach (var delimiter in (string[])["**", "__", "~~", "*"])
            {
                if (string.CompareOrdinal(text, i, delimiter, 0, delimiter.Length) != 0) continue;
                counts[delimiter]++;
                i += delimiter.Length - 1;
                break;
            }
        }
        if (inCode) throw new FormatException("Unclosed inline code span.");
        foreach (var (delimiter, count) in counts)
        {
            if (count % 2 != 0) throw new FormatException($"Unpaired '{delimiter}' ({count}) in: {text}");
        }
    }

    [GeneratedRegex(@"@everyone|@here|<@[!&]?[0-9]+>|<#[0-9]+>", RegexOptions.IgnoreCase)]
    private static partial Regex Mention();

    [GeneratedRegex(@"\]\([^)\s]*\)")]
    private static partial Regex LinkAddress();
}
