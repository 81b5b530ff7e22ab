using System.Globalization;
using System.Text;
using System.Text.RegularExpressions;

namespace HandsBot.Rendering.Tests.Validators;

/// <summary>
/// Checks a message against Telegram's HTML parse mode, written from the Bot API documentation
/// (https://core.telegram.org/bots/api#formatting-options), independently of the renderer:
/// only the listed tags and attributes; &lt;, &gt; and &amp; outside tags must be entities; only the
/// named entities &amp;lt; &amp;gt; &amp;amp; &amp;quot; and numeric ones; tags properly nested;
/// the entity nesting rules; and the length of the text after entity parsing, in UTF-16 code units.
/// </summary>
public static partial class TelegramHtmlValidator
{
    private static readonly HashSet<string> Formatting = ["b", "strong", "i", "em", "u", "ins", "s", "strike", "del", "tg-spoiler", "span"];

    /// <summary>The visible text of <paramref name="html"/>; throws <see cref="FormatException"/> naming the first violation.</summary>
    public static string Validate(string html, int maxLength = 4096)
    {
        var text = new StringBuilder();
        var open = new List<string>();
        var i = 0;
        while (i < html.Length)
        {
            var c = html[i];
            if (c == '<')
            {
                var tag = TagPattern().Match(html, i);
                if (!tag.Success || tag.Index != i) throw new FormatException($"Unescaped '<' or malformed tag at {i}: {Around(html, i)}");
                HandleTag(tag, open, html, i);
                i += tag.Length;
            }
            else if (c == '&')
            {
                var entity = EntityPattern().Match(html, i);
                if (!entity.Success || entity.Index != i) throw new FormatException($"Unescaped '&' or unsupported entity at {i}: {Around(html, i)}");
                text.Append(Decode(entity.Value));
                i += entity.Length;
            }
            else if (c == '>')
            {
                throw new FormatException($"Unescaped '>' at {i}: {Around(html, i)}");
            }
            else
            {
                if (char.IsHighSurrogate(c) && (i + 1 >= html.Length || !char.IsLowSurrogate(html[i + 1]))) throw new FormatException($"Lone high surrogate at {i}");
                if (char.IsLowSurrogate(c) && (i == 0 || !char.IsHighSurrogate(html[i - 1]))) throw new FormatException($"Lone low surrogate at {i}");
                text.Append(c);
                i++;
            }
        }
        if (open.Count > 0) throw new FormatException($"Unclosed tags: {string.Join(", ", open)}");
        var visible = text.ToString();
        if (visible.Length > maxLength) throw new FormatException($"Text is {visible.Length} UTF-16 code units after entity parsing, over {maxLength}.");
        if (string.IsNullOrWhiteSpace(visible)) throw new FormatException("Message text is empty after entity parsing.");
        return visible;
    }

    private static void HandleTag(Match tag, List<string> open, string html, int at)
    {
        var name = tag.Groups["name"].Value.ToLowerInvariant();
        var attributes = tag.Groups["attributes"].Value.Trim();
        if (tag.Groups["close"].Success)
        {
            if (attributes.Length > 0) throw new FormatException($"Closing tag with attributes at {at}");
            if (open.Count == 0 || open[^1] != name) throw new FormatException($"</{name}> does not close the innermost open tag ({(open.Count == 0 ? "none" : open[^1])}) at {at}: {Around(html, at)}");
            open.RemoveAt(open.Count - 1);
            return;
        }
        var parent = open.Count > 0 ? open[^1] : null;
        var attributesOk = name switch
        {
            "a" => HrefPattern().Match(attributes) is { Success: true } href && href.Length == attributes.Length && AllowedUrl(href.Groups["url"].Value),
            "span" => attributes == "class=\"tg-spoiler\"",
            "code" => attributes.Length == 0 || (parent == "pre" && LanguagePattern().IsMatch(attributes)),
            "blockquote" => attributes.Length == 0 || attributes == "expandable",
            "tg-emoji" => EmojiPattern().IsMatch(attributes),
            "b" or "strong" or "i" or "em" or "u" or "ins" or "s" or "strike" or "del" or "tg-spoiler" or "pre" => attributes.Length == 0,
            _ => throw new FormatException($"Tag <{name}> is not supported by Telegram (at {at})."),
        };
        if (!attributesOk) throw new FormatException($"Bad attributes on <{name}>: '{attributes}' at {at}");
        CheckNesting(name, open, at);
        open.Add(name);
    }

    // "bold, italic, underline, strikethrough, and spoiler entities can contain and can be part of any
    // other entities, except pre and code. blockquote and expandable_blockquote entities can't be nested.
    // All other entities can't contain each other." Blockquotes are read as able to contain the rest.
    private static void CheckNesting(string name, List<string> open, int at)
    {
        if (name == "code" && open.Count > 0 && open[^1] == "pre") return; // <pre><code class> is one entity
        foreach (var outer in open)
        {
            var ok = (Kind(outer), Kind(name)) switch
            {
                ("code", _) => false,
                (_, "code") => Kind(outer) == "quote",
                ("quote", "quote") => false,
                ("quote", _) => true,
                ("format", _) => true,
                (_, "format") => true,
                _ => false,
            };
            if (!ok) throw new FormatException($"<{name}> may not be inside <{outer}> (at {at}).");
        }
    }

    private static string Kind(string tag) => tag switch
    {
        "code" or "pre" => "code",
        "blockquote" => "quote",
        _ when Formatting.Contains(tag) => "format",
        _ => tag,
    };

    private static bool AllowedUrl(string url)
    {
        var decoded = Decode(url);
        return Uri.TryCreate(decoded, UriKind.Absolute, out var uri) && uri.Scheme is "http" or "https" or "tg" or "mailto";
    }

    private static string Decode(string withEntities) => EntityPattern().Replace(withEntities, m => m.Value switch
    {
        "&lt;" => "<",
        "&gt;" => ">",
        "&amp;" => "&",
        "&quot;" => "\"",
        var v when v.StartsWith("&#x", StringComparison.OrdinalIgnoreCase) => char.ConvertFromUtf32(int.Parse(v[3..^1], NumberStyles.HexNumber, CultureInfo.InvariantCulture)),
        var v => char.ConvertFromUtf32(int.Parse(v[2..^1], CultureInfo.InvariantCulture)),
    });

    private static string Around(string s, int i) => s.Substring(Math.Max(0, i - 20), Math.Min(s.Length - Math.Max(0, i - 20), 40));

    [GeneratedRegex(@"<(?<close>/)?(?<name>[a-zA-Z][a-zA-Z0-9-]*)(?<attributes>(?:\s+[a-zA-Z-]+(?:=""[^""<>]*"")?)*)\s*>")]
    private static partial Regex TagPattern();

    [GeneratedRegex(@"&(?:lt|gt|amp|quot|#[0-9]{1,7}|#x[0-9a-fA-F]{1,6});")]
    private static partial Regex EntityPattern();

    [GeneratedRegex(@"^href=""(?<url>[^""]*)""$")]
    private static partial Regex HrefPattern();

    [GeneratedRegex(@"^class=""language-[^""\s]+""$")]
    private static partial Regex LanguagePattern();

    [GeneratedRegex(@"^emoji-id=""[0-9]+""$")]
    private static partial Regex EmojiPattern();
}
