using HandsBot.Rendering.Tests.Validators;

namespace HandsBot.Rendering.Tests;

public class TelegramHtmlRenderingTests
{
    public static TheoryData<string, string> Constructs => new()
    {
        { "**bold**", "<b>bold</b>" },
        { "__bold__", "<b>bold</b>" },
        { "*it*", "<i>it</i>" },
        { "_it_", "<i>it</i>" },
        { "***both***", "<i><b>both</b></i>" },
        { "~~gone~~", "<s>gone</s>" },
        { "++under++", "<u>under</u>" },
        { "`a<b && c`", "<code>a&lt;b &amp;&amp; c</code>" },
        { "# Heading", "<b>Heading</b>" },
        { "### Heading *x*", "<b>Heading <i>x</i></b>" },
        { "Setext\n===", "<b>Setext</b>" },
        { "a & b < c > d", "a &amp; b &lt; c &gt; d" },
        { "<b>raw</b> html", "&lt;b&gt;raw&lt;/b&gt; html" },
        { "<script>alert(1)</script>", "&lt;script&gt;alert(1)&lt;/script&gt;" },
        { "&copy; &amp; &#65;", "© &amp; A" },
        { "- a\n- b", "• a\n• b" },
        { "* a\n\n* b", "• a\n\n• b" },
        { "- a\n  - b\n    - c\n- d", "• a\n  • b\n    • c\n• d" },
        { "1. one\n2. two", "1. one\n2. two" },
        { "7) seven\n8) eight", "7) seven\n8) eight" },
        { "- item\n\n  second paragraph", "• item\n\n  second paragraph" },
        { "> quoted", "<blockquote>quoted</blockquote>" },
        { "> a\n>\n> b", "<blockquote>a\n\nb</blockquote>" },
        { "> outer\n>\n> > inner", "<blockquote>outer\n\ninner</blockquote>" },
        { "```js\nif (x < 1) {}\n```", "<pre><code class=\"language-js\">if (x &lt; 1) {}</code></pre>" },
        { "```\nplain\n\nblock\n```", "<pre>plain\n\nblock</pre>" },
        { "    indented code", "<pre>indented code</pre>" },
        { "```c++ extra info\nx\n```", "<pre><code class=\"language-c++\">x</code></pre>" },
        { "[text](https://e.com/?a=1&b=2)", "<a href=\"https://e.com/?a=1&amp;b=2\">text</a>" },
        { "[link (x)](https://e.com/a_(b))", "<a href=\"https://e.com/a_(b)\">link (x)</a>" },
        { "[q](<https://e.com/\"q\">)", "<a href=\"https://e.com/&quot;q&quot;\">q</a>" },
        { "[x](tg://user?id=1) [m](mailto:a@b.c)", "<a href=\"tg://user?id=1\">x</a> <a href=\"mailto:a@b.c\">m</a>" },
        { "[bad](javascript:alert(1))", "bad (javascript:alert(1))" },
        { "[rel](docs/x.md)", "rel (docs/x.md)" },
        { "![alt text](https://e.com/i.png)", "<a href=\"https://e.com/i.png\">alt text</a>" },
        { "<https://auto.example>", "<a href=\"https://auto.example\">https://auto.example</a>" },
        { "see https://bare.example now", "see <a href=\"https://bare.example\">https://bare.example</a> now" },
        { "---", "──────────" },
        { "a\n\nb", "a\n\nb" },
        { "soft\nbreak", "soft\nbreak" },
        { "hard  \nbreak", "hard\nbreak" },
        { "| a | b |\n|---|--:|\n| 1 | 22 |", "<pre>a |  b\n--+---\n1 | 22</pre>" },
        { "| left | mid |\n|:--|:-:|\n| x | y |", "<pre>left | mid\n-----+----\nx    |  y</pre>" },
        { "**bold `code` bold**", "<b>bold code bold</b>" },
        { "[`code` link](https://e.com)", "<a href=\"https://e.com\">code link</a>" },
        { "**[bold link](https://e.com)**", "<b><a href=\"https://e.com\">bold link</a></b>" },
        { "> - quoted item", "<blockquote>• quoted item</blockquote>" },
        { "[ref]\n\n[ref]: https://e.com", "<a href=\"https://e.com\">ref</a>" },
    };

    [Theory]
    [MemberData(nameof(Constructs))]
    public void Render_ProducesTelegramHtml_ForEachConstruct(string markdown, string expected)
    {
        var html = Render.One(markdown, RenderTarget.TelegramHtml);

        Assert.Equal(expected, html);
        TelegramHtmlValidator.Validate(html);
    }

    [Fact]
    public void Render_UsesExpandableQuote_WhenQuoteIsLong()
    {
        var html = Render.One("> " + string.Join(' ', Enumerable.Repeat("word", 200)), RenderTarget.TelegramHtml);

        Assert.StartsWith("<blockquote expandable>", html, StringComparison.Ordinal);
        TelegramHtmlValidator.Validate(html);
    }

    [Fact]
    public void Render_CountsLengthAfterEntityParsing_WhenTextNeedsEscaping()
    {
        var exactlyFull = new string('&', 4096);

        var one = ChatRenderer.Render(exactlyFull, SourceFormat.Text, RenderTarget.TelegramHtml);
        var two = ChatRenderer.Render(exactlyFull + "&", SourceFormat.Text, RenderTarget.TelegramHtml);

        Assert.Single(one.Parts);
        Assert.Equal(4096 * 5, one.Parts[0].Length);
        Assert.Equal(2, two.Parts.Count);
        foreach (var part in two.Parts) TelegramHtmlValidator.Validate(part);
    }

    [Fact]
    public void Render_PlainPartsHaveNoTags_WhenTargetIsTelegram()
    {
        var result = ChatRenderer.Render("**b** <i> & [l](https://e.com)", SourceFormat.Markdown, RenderTarget.TelegramHtml);

        Assert.Equal(["b <i> & l"], result.PlainParts);
    }
}
