using System.Buffers;
using System.Text;
using HandsBot.Rendering.Output;

namespace HandsBot.Rendering.Dialects;

/// <summary>
/// Telegram's HTML parse mode (https://core.telegram.org/bots/api#html-style): only the tags it accepts,
/// text escaped with &amp;amp; &amp;lt; &amp;gt;. Telegram counts the text after entity parsing, in UTF-16
/// code units, so tags cost nothing and an escaped character costs one.
/// </summary>
internal sealed class TelegramHtmlDialect : ChatDialect
{
    public static readonly TelegramHtmlDialect Instance = new();

    private static readonly Markup Bold = Markup.Tag("<b>", "</b>");
    private static readonly Markup Italic = Markup.Tag("<i>", "</i>");
    private static readonly Markup Underline = Markup.Tag("<u>", "</u>");
    private static readonly Markup Strike = Markup.Tag("<s>", "</s>");
    private static readonly Markup Code = new() { Open = "<code>", Close = "</code>", IsCode = true, Kind = MarkupKind.Code };
    private static readonly Markup Pre = new() { Open = "<pre>", Close = "</pre>", IsCode = true, Kind = MarkupKind.Code };
    private static readonly Markup BlockQuote = new() { Open = "<blockquote>", Close = "</blockquote>", Kind = MarkupKind.Quote };
    private static readonly Markup ExpandableQuote = new() { Open = "<blockquote expandable>", Close = "</blockquote>", Kind = MarkupKind.Quote };

    private TelegramHtmlDialect()
    {
    }

    public override int AppendText(StringBuilder output, ReadOnlySpan<char> text, bool code)
    {
        AppendEscaped(output, text);
        return text.Length;
    }

    public override Markup? Emphasis(char delimiter, int count) => (delimiter, count) switch
    {
        ('*' or '_', 1) => Italic,
        ('*' or '_', >= 2) => Bold,
        ('~', >= 2) => Strike,
        ('+', >= 2) => Underline,
        _ => null,
    };

    public override Markup? Heading(int level) => Bold;

    public override Markup? Quote(bool expandable) => expandable ? ExpandableQuote : BlockQuote;

    public override Markup? CodeBlock(string? language) => LanguageName.Sanitize(language) is { } lang
        ? new Markup { Open = $"<pre><code class=\"language-{lang}\">", Close = "</code></pre>", IsCode = true, Kind = MarkupKind.Code }
        : Pre;

    public override Markup? InlineCode(ReadOnlySpan<char> content) => Code;

    public override Markup? Link(string url)
    {
        if (!HasScheme(url, "http", "https", "tg", "mailto")) return null;
        var href = new StringBuilder("<a href=\"", url.Length + 12);
        AppendEscaped(href, url, attribute: true);
        href.Append("\">");
        return new Markup { Open = href.ToString(), Close = "</a>", Kind = MarkupKind.Link };
    }

    // From the Bot API's rules for entities: formatting may contain and be inside anything but code
    // and pre; blockquotes don't nest; code, pre and links contain no other entity. A markup that would
    // break them is dropped (its text stays).
    public override bool CanNest(Markup inner, IReadOnlyList<Markup> open)
    {
        if (!base.CanNest(inner, open)) return false;
        foreach (var outer in open)
        {
            var allowed = (outer.Kind, inner.Kind) switch
            {
                (MarkupKind.Layout, _) or (_, MarkupKind.Layout) => true,
                (MarkupKind.Code, _) => false,
                (MarkupKind.Quote, MarkupKind.Quote) => false,
                (MarkupKind.Quote, _) => true,
                (MarkupKind.Formatting, MarkupKind.Code) => false,
                (MarkupKind.Formatting, _) => true,
                (MarkupKind.Link, MarkupKind.Formatting) => true,
                _ => false,
            };
            if (!allowed) return false;
        }
        return true;
    }

    public override (string Text, int Cost) AttachedNote(string fileName)
    {
        var visible = $"(full output attached as {fileName})";
        var html = new StringBuilder("\n\n<i>");
        AppendEscaped(html, visible);
        html.Append("</i>");
        return (html.ToString(), visible.Length + 2);
    }

    private static readonly SearchValues<char> TextSpecials = SearchValues.Create("&<>");
    private static readonly SearchValues<char> AttributeSpecials = SearchValues.Create("&<>\"");

    private static void AppendEscaped(StringBuilder output, ReadOnlySpan<char> text, bool attribute = false)
    {
        var specials = attribute ? AttributeSpecials : TextSpecials;
        while (true)
        {
            var next = text.IndexOfAny(specials);
            if (next < 0)
            {
                output.Append(text);
                return;
            }
            output.Append(text[..next]).Append(text[next] switch
            {
                '&' => "&amp;",
                '<' => "&lt;",
                '>' => "&gt;",
                _ => "&quot;",
            });
            text = text[(next + 1)..];
        }
    }
}
