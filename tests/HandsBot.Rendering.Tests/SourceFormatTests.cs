using HandsBot.Rendering.Tests.Validators;

namespace HandsBot.Rendering.Tests;

public class SourceFormatTests
{
    public static TheoryData<SourceFormat, RenderTarget> AllFormatsAndTargets()
    {
        var data = new TheoryData<SourceFormat, RenderTarget>();
        foreach (var format in Enum.GetValues<SourceFormat>())
        {
            foreach (var target in Enum.GetValues<RenderTarget>()) data.Add(format, target);
        }
        return data;
    }

    [Theory]
    [MemberData(nameof(AllFormatsAndTargets))]
    public void Render_SaysNoOutput_WhenSourceIsEmptyOrBlank(SourceFormat format, RenderTarget target)
    {
        foreach (var source in format == SourceFormat.Html ? ["", "   \n\n \t", "<p> </p><!-- x -->"] : new[] { "", "   \n\n \t" })
        {
            var result = ChatRenderer.Render(source, format, target);

            var part = Assert.Single(result.Parts);
            PartValidator.ValidateAll(result, target, ChatRenderer.DefaultMaxLength(target));
            Assert.Contains(ChatRenderer.NoOutput, part, StringComparison.Ordinal);
        }
    }

    [Fact]
    public void Render_KeepsTitle_WhenBodyIsEmpty()
    {
        var result = ChatRenderer.Render("", SourceFormat.Markdown, RenderTarget.TelegramHtml, new RenderOptions { Title = "Run 12" });

        Assert.Equal(["<b>Run 12</b>\n\n(no output)"], result.Parts);
    }

    [Fact]
    public void Render_ThrowsArgumentNull_WhenSourceIsNull()
    {
        Assert.Throws<ArgumentNullException>(() => ChatRenderer.Render(null!, SourceFormat.Markdown, RenderTarget.PlainText));
    }

    [Theory]
    [InlineData(RenderTarget.TelegramHtml, "<pre><code class=\"language-json\">{\n  \"name\": \"a&lt;b\",\n  \"list\": [\n    1,\n    2\n  ],\n  \"emoji\": \"😀\"\n}</code></pre>")]
    [InlineData(RenderTarget.DiscordMarkdown, "```json\n{\n  \"name\": \"a<b\",\n  \"list\": [\n    1,\n    2\n  ],\n  \"emoji\": \"😀\"\n}\n```")]
    [InlineData(RenderTarget.PlainText, "{\n  \"name\": \"a<b\",\n  \"list\": [\n    1,\n    2\n  ],\n  \"emoji\": \"😀\"\n}")]
    public void Render_PrettyPrintsJsonInCodeBlock_WhenJsonIsValid(RenderTarget target, string expected)
    {
        Assert.Equal(expected, Render.One("{\"name\":\"a<b\",\"list\":[1,2],\"emoji\":\"😀\"}", target, SourceFormat.Json));
    }

    [Fact]
    public void Render_KeepsEscapedBackslashes_WhenPrettyPrintingJson()
    {
        Assert.Equal("<pre><code class=\"language-json\">[\n  \"\\\\uD83D\\\\uDE00\"\n]</code></pre>", Render.One("[\"\\\\uD83D\\\\uDE00\"]", RenderTarget.TelegramHtml, SourceFormat.Json));
    }

    [Fact]
    public void Render_ShowsJsonAsIs_WhenJsonIsInvalid()
    {
        Assert.Equal("<pre><code class=\"language-json\">{not: json &amp;}</code></pre>", Render.One("{not: json &}", RenderTarget.TelegramHtml, SourceFormat.Json));
    }

    [Theory]
    [InlineData("<p>Hello <b>world</b> &amp; <i>you</i></p>", "Hello <b>world</b> &amp; <i>you</i>")]
    [InlineData("<script>alert(1)</script><style>p{}</style>ok", "ok")]
    [InlineData("<img src=x onerror=alert(1)>text", "text")]
    [InlineData("<a href=\"https://e.com/?a=1&amp;b=2\">link</a>", "<a href=\"https://e.com/?a=1&amp;b=2\">link</a>")]
    [InlineData("<a href=\"javascript:alert(1)\">js</a>", "js (javascript:alert(1))")]
    [InlineData("*not markdown* # nor this", "*not markdown* # nor this")]
    [InlineData("<h2>Title</h2><ul><li>one</li><li>two</li></ul>", "<b>Title</b>\n\n• one\n• two")]
    [InlineData("<pre>x &lt; 1\n  y</pre>", "<pre>x &lt; 1\n  y</pre>")]
    [InlineData("a<br>b", "a\nb")]
    [InlineData("<code>a*b</code>", "<code>a*b</code>")]
    [InlineData("<tg-spoiler>secret</tg-spoiler> <marquee>m</marquee>", "secret m")]
    public void Render_ConvertsHtmlSafely_ForTelegram(string html, string expected)
    {
        var rendered = Render.One(html, RenderTarget.TelegramHtml, SourceFormat.Html);

        Assert.Equal(expected, rendered);
        TelegramHtmlValidator.Validate(rendered);
    }

    [Theory]
    [InlineData(RenderTarget.TelegramHtml, "**not bold** <b>x</b> & `y`", "**not bold** &lt;b&gt;x&lt;/b&gt; &amp; `y`")]
    [InlineData(RenderTarget.DiscordMarkdown, "**not bold** # x @here", "\\*\\*not bold\\*\\* \\# x @\u200Bhere")]
    [InlineData(RenderTarget.PlainText, "**not bold**\n\n- x", "**not bold**\n\n- x")]
    [InlineData(RenderTarget.TelegramHtml, "line 1\nline 2\n\n\npara", "line 1\nline 2\n\npara")]
    public void Render_EscapesTextWithoutInterpretingIt_WhenFormatIsText(RenderTarget target, string text, string expected)
    {
        Assert.Equal(expected, Render.One(text, target, SourceFormat.Text));
    }
}
