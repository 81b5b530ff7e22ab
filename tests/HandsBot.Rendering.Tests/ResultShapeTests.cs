using HandsBot.Rendering.Tests.Validators;

namespace HandsBot.Rendering.Tests;

public class ResultShapeTests
{
    [Fact]
    public void PlainParts_MatchPartsOneToOne_AndRejectBadIndexes()
    {
        var result = Render.All(string.Join(' ', Enumerable.Range(0, 300).Select(i => $"**w{i}**")), RenderTarget.TelegramHtml, 200);

        Assert.Equal(result.Parts.Count, result.PlainParts.Count);
        Assert.Equal(result.PlainParts, Enumerable.Range(0, result.PlainParts.Count).Select(i => result.PlainParts[i]));
        Assert.All(result.PlainParts, p => Assert.DoesNotContain("<b>", p, StringComparison.Ordinal));
        Assert.Throws<ArgumentOutOfRangeException>(() => result.PlainParts[result.PlainParts.Count]);
        Assert.Throws<ArgumentOutOfRangeException>(() => result.PlainParts[-1]);
    }

    [Fact]
    public void PlainParts_AreThePartsThemselves_OnDiscord()
    {
        var result = Render.All("**a** `b` @everyone " + string.Join(' ', Enumerable.Range(0, 100).Select(i => $"w{i}")), RenderTarget.DiscordMarkdown, 100);

        Assert.Equal(result.Parts, result.PlainParts);
    }

    [Fact]
    public void HugeOutput_IsTokenizedOnlyAsFarAsTheChatCanShow_AndTheFileKeepsAllOfIt()
    {
        var line = "a line of **output** that goes on a while\n";
        var source = string.Concat(Enumerable.Repeat(line, 200_000)) + "the very end";

        var result = ChatRenderer.Render(source, SourceFormat.Markdown, RenderTarget.TelegramHtml);

        Assert.True(result.SentAsFile);
        Assert.Same(source, result.FileContent);
        Assert.Single(result.Parts);
        Assert.StartsWith("a line of <b>output</b>", result.Parts[0], StringComparison.Ordinal);
        Assert.DoesNotContain("the very end", result.Parts[0], StringComparison.Ordinal);
    }

    [Fact]
    public void PlainPart_OfFileFallback_EndsWithTheNote()
    {
        var result = ChatRenderer.Render(string.Join(' ', Enumerable.Range(0, 3000).Select(i => $"w{i}")), SourceFormat.Markdown, RenderTarget.TelegramHtml, new RenderOptions { FileName = "a&b.md" });

        Assert.True(result.SentAsFile);
        Assert.EndsWith("<i>(full output attached as a&amp;b.md)</i>", result.Parts[0], StringComparison.Ordinal);
        Assert.EndsWith("(full output attached as a&b.md)", result.PlainParts[0], StringComparison.Ordinal);
        TelegramHtmlValidator.Validate(result.Parts[0]);
        Assert.True(result.PlainParts[0].Length <= 4096);
    }

    [Fact]
    public void Render_ShowsAddress_WhenDiscordLinkIsTooLongToRepeat()
    {
        var url = "https://example.com/" + new string('a', 300);

        var message = Render.All($"[label]({url})", RenderTarget.DiscordMarkdown, 1000).Parts[0];

        Assert.Equal($"label ({url})", message);
    }

    [Theory]
    [InlineData(RenderTarget.TelegramHtml)]
    [InlineData(RenderTarget.DiscordMarkdown)]
    public void Render_StaysValid_WhenFormattingIsNestedVeryDeeply(RenderTarget target)
    {
        var source = string.Concat(Enumerable.Repeat("> ", 20)) + string.Concat(Enumerable.Repeat("- ", 20)) + string.Concat(Enumerable.Repeat("*x **y ~~z ", 10)) + "deep";

        var result = Render.All(source, target, 100);

        PartValidator.ValidateAll(result, target, 100);
        Assert.Contains("deep", string.Concat(result.Parts), StringComparison.Ordinal);
    }

    [Fact]
    public void Render_FlattensNestedQuotes_OnDiscord()
    {
        Assert.Equal("> outer\n> \n> inner", Render.One("> outer\n>\n> > inner", RenderTarget.DiscordMarkdown));
    }
}
