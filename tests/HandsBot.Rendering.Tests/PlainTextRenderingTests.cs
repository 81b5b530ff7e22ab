namespace HandsBot.Rendering.Tests;

public class PlainTextRenderingTests
{
    public static TheoryData<string, string> Constructs => new()
    {
        { "**b** *i* ~~s~~ `c`", "b i s c" },
        { "# Heading", "Heading" },
        { "- a\n  - b", "• a\n  • b" },
        { "2. two\n3. three", "2. two\n3. three" },
        { "> quoted", "> quoted" },
        { "[text](https://e.com)", "text (https://e.com)" },
        { "<https://e.com>", "https://e.com" },
        { "![alt](https://e.com/i.png)", "alt (https://e.com/i.png)" },
        { "```sh\nls -la\n```", "ls -la" },
        { "<b>x</b> & y", "<b>x</b> & y" },
        { "---", "----------" },
        { "| a | b |\n|---|---|\n| 1 | 2 |", "a | b\n--+--\n1 | 2" },
    };

    [Theory]
    [MemberData(nameof(Constructs))]
    public void Render_ProducesReadableText_ForEachConstruct(string markdown, string expected)
    {
        Assert.Equal(expected, Render.One(markdown, RenderTarget.PlainText));
    }
}
