using System.Buffers;
using System.Text;
using HandsBot.Rendering.Output;

namespace HandsBot.Rendering.Dialects;

/// <summary>
/// Discord's Markdown subset. Text is escaped so Discord reads it literally, and mentions are broken
/// with a zero-width space so a hand can never ping (@everyone, @here, &lt;@id&gt;, &lt;@&amp;id&gt;, &lt;#id&gt;).
/// </summary>
/// <remarks>
/// Discord's 2000 limit is checked server-side on the content string; observed behaviour is that it
/// counts Unicode code points, and the documentation just says "characters". We count UTF-16 code units
/// (string.Length): equal for BMP text and double for astral characters, so it is never below Discord's
/// count whichever unit it uses: conservative by design.
/// </remarks>
internal sealed class DiscordMarkdownDialect : ChatDialect
{
    public static readonly DiscordMarkdownDialect Instance = new();

    /// <summary>Breaks mentions and backtick fences without being visible.</summary>
    public const char ZeroWidthSpace = '\u200B';

    private const int MaxLinkLength = 512;

    private static readonly Markup Bold = Markup.Delimited("**", "**");
    private static readonly Markup Italic = Markup.Delimited("*", "*");
    private static readonly Markup Underline = Markup.Delimited("__", "__");
    private static readonly Markup Strike = Markup.Delimited("~~", "~~");
    private static readonly Markup[] Headings = [Markup.Delimited("# ", ""), Markup.Delimited("## ", ""), Markup.Delimited("### ", "")];
    private static readonly Markup QuotePrefix = new() { Open = "> ", OpenCost = 2, Continuation = "> ", Kind = MarkupKind.Quote };
    private static readonly Markup Code = new() { Open = "`", Close = "`", OpenCost = 1, CloseCost = 1, IsCode = true };
    private static readonly Markup CodeWithBackticks = new() { Open = "`` ", Close = " ``", OpenCost = 3, CloseCost = 3, IsCode = true };

    private DiscordMarkdownDialect()
    {
    }

    public override string UnorderedBullet => "- ";

    public override int AppendText(StringBuilder output, ReadOnlySpan<char> text, bool code)
    {
        var before = output.Length;
        if (code) AppendCode(output, text);
        else AppendProse(output, text);
        return output.Length - before;
    }

    // Discord reads every message as Markdown and never rejects it: a "plain" part is the part itself.
    public override bool HasPlainMode => false;

    public override Markup? Emphasis(char delimiter, int count) => (delimiter, count) switch
    {
        ('*' or '_', 1) => Italic,
        ('*' or '_', >= 2) => Bold,
        ('~', >= 2) => Strike,
        ('+', >= 2) => Underline,
        _ => null,
    };

    // Discord has three heading sizes; smaller headings are bold text.
    public override Markup? Heading(int level) => level is >= 1 and <= 3 ? Headings[level - 1] : Bold;

    public override Markup? Quote(bool expandable) => QuotePrefix;

    // Discord quotes don't nest (a second "> " shows as text): an inner quote joins the outer one.
    public override bool CanNest(Markup inner, IReadOnlyList<Markup> open) =>
        base.CanNest(inner, open) && (inner.Kind != MarkupKind.Quote || !open.Contains(QuotePrefix));

    public override Markup? CodeBlock(string? language)
    {
        var open = "```" + LanguageName.Sanitize(language);
        return new Markup { Open = open, Close = "```", OpenCost = open.Length, CloseCost = 3, OnOwnLines = true, IsCode = true };
    }

    public override Markup? InlineCode(ReadOnlySpan<char> content) => content.Contains('`') ? CodeWithBackticks : Code;

    public override Markup? Link(string url)
    {
        if (url.Length > MaxLinkLength || !HasScheme(url, "http", "https")) return null;
        var close = new StringBuilder("](", url.Length + 3);
        foreach (var c in url)
        {
            // Percent-encode what would end the link early or could read as a mention.
            _ = c switch
            {
                ' ' => close.Append("%20"),
                '(' => close.Append("%28"),
                ')' => close.Append("%29"),
                '<' => close.Append("%3C"),
                '>' => close.Append("%3E"),
                '@' => close.Append("%40"),
                '`' => close.Append("%60"),
                _ => close.Append(c),
            };
        }
        close.Append(')');
        return Markup.Delimited("[", close.ToString());
    }

    public override (string Text, int Cost) AttachedNote(string fileName)
    {
        var note = new StringBuilder("\n\n*(full output attached as ");
        AppendProse(note, fileName);
        note.Append(")*");
        return (note.ToString(), note.Length);
    }

    public override (string Text, int Cost) PlainAttachedNote(string fileName) => AttachedNote(fileName);

    // Characters that may need an escape or a zero-width space; everything between them is copied as is.
    private static readonly SearchValues<char> ProseSpecials = SearchValues.Create("\\*_~`|[]#>-+.@<");
    private static readonly SearchValues<char> CodeSpecials = SearchValues.Create("`@<");

    private static void AppendProse(StringBuilder output, ReadOnlySpan<char> text)
    {
        for (var i = 0; i < text.Length; i++)
        {
            var run = text[i..].IndexOfAny(ProseSpecials);
            if (run < 0)
            {
                output.Append(text[i..]);
                return;
            }
            output.Append(text.Slice(i, run));
            i += run;
            var c = text[i];
            var wordStart = i == 0 || char.IsWhiteSpace(text[i - 1]);
            switch (c)
            {
                case '\\' or '*' or '_' or '~' or '`' or '|' or '[' or ']':
                    output.Append('\\').Append(c);
                    break;
                // Line-start syntax (headings, quotes, lists): escaped at any word start, as a later
                // split may put the word at the start of a line; a needless escape is invisible.
                case '#' or '>' or '-' or '+' when wordStart:
                    output.Append('\\').Append(c);
                    break;
                // "1." at a line start would become an ordered list.
                case '.' when FollowsOnlyDigits(text, i):
                    output.Append("\\.");
                    break;
                default:
                    AppendMentionSafe(output, text, i);
                    break;
            }
        }
    }

    // Also true for a cut-off start ("@every"), in case the rest follows later.
    private static bool StartsMention(ReadOnlySpan<char> rest) =>
        StartsWithOrCutOff(rest, "everyone") || StartsWithOrCutOff(rest, "here");

    private static bool StartsWithOrCutOff(ReadOnlySpan<char> rest, string word) => rest.Length >= word.Length
        ? rest.StartsWith(word, StringComparison.OrdinalIgnoreCase)
        : word.AsSpan().StartsWith(rest, StringComparison.OrdinalIgnoreCase);

    private static bool FollowsOnlyDigits(ReadOnlySpan<char> text, int i)
    {
        var start = i;
        while (start > 0 && char.IsAsciiDigit(text[start - 1])) start--;
        return start < i && (start == 0 || char.IsWhiteSpace(text[start - 1]));
    }

    private static void AppendCode(StringBuilder output, ReadOnlySpan<char> text)
    {
        for (var i = 0; i < text.Length; i++)
        {
            var run = text[i..].IndexOfAny(CodeSpecials);
            if (run < 0)
            {
                output.Append(text[i..]);
                return;
            }
            output.Append(text.Slice(i, run));
            i += run;
            // A run of backticks could close the code block or span: break it up.
            if (text[i] == '`' && i > 0 && text[i - 1] == '`') output.Append(ZeroWidthSpace);
            AppendMentionSafe(output, text, i);
        }
    }

    private static void AppendMentionSafe(StringBuilder output, ReadOnlySpan<char> text, int i)
    {
        var c = text[i];
        output.Append(c);
        var next = i + 1 < text.Length ? text[i + 1] : '\0';
        var breakAfter = c switch
        {
            // @everyone, @here (any case, to be safe), <@id>, <@!id>, <@&id>; and a trailing @ whose word may continue later.
            '@' => next is '&' or '!' or '\0' || (i > 0 && text[i - 1] == '<') || StartsMention(text[(i + 1)..]),
            // <#channel>, and <@ split across pieces.
            '<' => next is '#' or '@' or '\0',
            _ => false,
        };
        if (breakAfter) output.Append(ZeroWidthSpace);
    }
}
