using System.Net;
using System.Text;
using System.Text.RegularExpressions;

namespace HandsBot.Rendering.Sources;

/// <summary>
/// HTML to Markdown, so HTML output goes through the same safe renderer: formatting tags become their
/// Markdown, text is decoded and Markdown-escaped, every other tag is dropped. Nothing passes through raw.
/// </summary>
internal static partial class HtmlSource
{
    public static string ToMarkdown(string html)
    {
        html = Invisible().Replace(html, "");
        var markdown = new StringBuilder(html.Length);
        var preDepth = 0;
        var codeDepth = 0;
        var links = new Stack<string?>();
        var last = 0;
        foreach (Match tag in Tag().Matches(html))
        {
            AppendText(markdown, html.AsSpan(last, tag.Index - last), preDepth > 0, codeDepth > 0);
            last = tag.Index + tag.Length;
            var closing = tag.Groups["close"].Success;
            var name = tag.Groups["name"].Value.ToUpperInvariant();
            switch (name)
            {
                case "B" or "STRONG": markdown.Append("**"); break;
                case "I" or "EM": markdown.Append('*'); break;
                case "U" or "INS": markdown.Append("++"); break;
                case "S" or "STRIKE" or "DEL": markdown.Append("~~"); break;
                case "CODE" when preDepth == 0:
                    markdown.Append('`');
                    codeDepth = Math.Max(0, codeDepth + (closing ? -1 : 1));
                    break;
                case "PRE":
                    markdown.Append("\n```\n");
                    preDepth = Math.Max(0, preDepth + (closing ? -1 : 1));
                    break;
                case "BR": markdown.Append("\\\n"); break;
                case "P" or "DIV" or "UL" or "OL" or "TABLE" or "BLOCKQUOTE": markdown.Append("\n\n"); break;
                case "TR": markdown.Append('\n'); break;
                case "TD" or "TH" when !closing: markdown.Append(' '); break;
                case "LI" when !closing: markdown.Append("\n- "); break;
                case ['H', >= '1' and <= '6']:
                    markdown.Append("\n\n");
                    if (!closing) markdown.Append('#', name[1] - '0').Append(' ');
                    break;
                case "A" when !closing:
                    var href = Href().Match(tag.Groups["attributes"].Value);
                    links.Push(href.Success ? WebUtility.HtmlDecode(href.Groups["url"].Value) : null);
                    if (href.Success) markdown.Append('[');
                    break;
                case "A" when links.Count > 0:
                    if (links.Pop() is { } url) markdown.Append("](<").Append(url.Replace("<", "%3C").Replace(">", "%3E").Replace("\n", "")).Append(">)");
                    break;
            }
        }
        AppendText(markdown, html.AsSpan(last), preDepth > 0, codeDepth > 0);
        return markdown.ToString();
    }

    private static void AppendText(StringBuilder markdown, ReadOnlySpan<char> html, bool pre, bool code)
    {
        if (html.IsEmpty) return;
        var text = WebUtility.HtmlDecode(html.ToString());
        if (pre)
        {
            markdown.Append(text.Replace("```", "`\u200B``"));
            return;
        }
        if (code)
        {
            markdown.Append(text.Replace('`', '\'').Replace('\n', ' '));
            return;
        }
        var space = false;
        foreach (var c in text)
        {
            // HTML collapses whitespace; Markdown punctuation in text is literal.
            if (char.IsWhiteSpace(c))
            {
                space = true;
                continue;
            }
            if (space) markdown.Append(' ');
            space = false;
            if (char.IsAsciiLetterOrDigit(c) || c > 127 || !char.IsPunctuation(c) && !char.IsSymbol(c)) markdown.Append(c);
            else markdown.Append('\\').Append(c);
        }
        if (space) markdown.Append(' ');
    }

    [GeneratedRegex(@"<(script|style|head)\b.*?</\1\s*>|<!--.*?-->", RegexOptions.IgnoreCase | RegexOptions.Singleline)]
    private static partial Regex Invisible();

    [GeneratedRegex(@"<(?<close>/)?(?<name>[a-zA-Z][a-zA-Z0-9-]*)(?<attributes>(?:[^>""']|""[^""]*""|'[^']*')*)/?>")]
    private static partial Regex Tag();

    [GeneratedRegex(@"\bhref\s*=\s*(?:""(?<url>[^""]*)""|'(?<url>[^']*)'|(?<url>[^\s>]+))", RegexOptions.IgnoreCase)]
    private static partial Regex Href();
}
