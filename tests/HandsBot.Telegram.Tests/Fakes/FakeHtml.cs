using System.Net;
using System.Text.RegularExpressions;

namespace HandsBot.Telegram.Tests.Fakes;

/// <summary>Checks Telegram HTML the way the Bot API does: known tags only, balanced, no bare '&lt;'.</summary>
public static partial class FakeHtml
{
    private static readonly HashSet<string> Allowed =
        ["b", "strong", "i", "em", "u", "ins", "s", "strike", "del", "span", "tg-spoiler", "a", "tg-emoji", "code", "pre", "blockquote"];

    /// <summary>The visible text, or an error like the Bot API's "can't parse entities: ...".</summary>
    public static (string? Text, string? Error) Parse(string html)
    {
        var open = new Stack<string>();
        var text = new System.Text.StringBuilder();
        var i = 0;
        while (i < html.Length)
        {
            var c = html[i];
            if (c == '<')
            {
                var end = html.IndexOf('>', i);
                if (end < 0) return (null, $"Unclosed start tag at byte offset {i}");
                var tag = html[(i + 1)..end].Trim();
                var closing = tag.StartsWith('/');
                var name = TagName().Match(closing ? tag[1..] : tag).Value.ToLowerInvariant();
                if (name.Length == 0 || !Allowed.Contains(name)) return (null, $"Unsupported start tag \"{tag}\" at byte offset {i}");
                if (closing)
                {
                    if (open.Count == 0 || open.Pop() != name) return (null, $"Unmatched end tag at byte offset {i}, expected \"</{(open.Count == 0 ? "" : open.Peek())}>\", found \"</{name}>\"");
                }
                else
                {
                    open.Push(name);
                }
                i = end + 1;
                continue;
            }
            if (c == '>') return (null, $"Character '>' is reserved and must be escaped at byte offset {i}");
            text.Append(c);
            i++;
        }
        if (open.Count > 0) return (null, $"Can't find end tag corresponding to start tag \"{open.Peek()}\"");
        return (WebUtility.HtmlDecode(text.ToString()), null);
    }

    [GeneratedRegex("^[a-zA-Z-]+")]
    private static partial Regex TagName();
}
