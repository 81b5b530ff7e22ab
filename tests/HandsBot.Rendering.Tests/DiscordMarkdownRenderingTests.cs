using HandsBot.Rendering.Tests.Validators;

namespace HandsBot.Rendering.Tests;

public class DiscordMarkdownRenderingTests
{
    private const char Zwsp = '\u200B';

    public static TheoryData<string, string> Constructs => new()
    {
        { "**bold**", "**bold**" },
        { "__bold__", "**bold**" },
        { "*it*", "*it*" },
        { "_it_", "*it*" },
        { "~~gone~~", "~~gone~~" },
        { "++under++", "__under__" },
        { "`code`", "`code`" },
        { "`` a`b ``", "`` a`b ``" },
        { "# One", "# One" },
        { "## Two", "## Two" },
        { "### Three", "### Three" },
        { "#### Four", "**Four**" },
        { "a \\* b \\_c\\_ \\\\ \\` \\| \\~", "a \\* b \\_c\\_ \\\\ \\` \\| \\~" },
        { "\\# not heading", "\\# not heading" },
        { "\\- not list", "\\- not list" },
        { "\\> not quote", "\\> not quote" },
        { "1\\. not list", "1\\. not list" },
        { "\\[not](a link)", "\\[not\\](a link)" },
        { "<b>raw</b>", "<b>raw</b>" },
        { "@everyone and @here", $"@{Zwsp}everyone and @{Zwsp}here" },
        { "@Everyone", $"@{Zwsp}Everyone" },
        { "<@123> <@!4> <@&5> <#6>", $"<{Zwsp}@{Zwsp}123> <{Zwsp}@{Zwsp}!4> <{Zwsp}@{Zwsp}&5> <{Zwsp}#6>" },
        { "mail me@example", "mail me@example" },
        { "- a\n- b", "- a\n- b" },
        { "- a\n  - b\n- c", "- a\n  - b\n- c" },
        { "1. one\n2. two", "1. one\n2. two" },
        { "> quoted\n> more", "> quoted\n> more" },
        { "> a\n>\n> b", "> a\n> \n> b" },
        { "```py\nprint(1)\n```", "```py\nprint(1)\n```" },
        { "~~~\n```\n~~~", $"```\n`{Zwsp}`{Zwsp}`\n```" },
        { "> ```\n> code\n> ```", "> ```\n> code\n> ```" },
        { "`@everyone`", $"`@{Zwsp}everyone`" },
        { "[text](https://e.com/x)", "[text](https://e.com/x)" },
        { "[link (x)](https://e.com/a_(b))", "[link (x)](https://e.com/a_%28b%29)" },
        { "[ping](https://e.com/@everyone)", "[ping](https://e.com/%40everyone)" },
        { "[bad](javascript:alert(1))", "bad (javascript:alert(1))" },
        { "![alt](https://e.com/i.png)", "[alt](https://e.com/i.png)" },
        { "---", "──────────" },
        { "a\n\nb", "a\n\nb" },
        { "| a | b |\n|---|---|\n| 1 | 2 |", "```\na | b\n--+--\n1 | 2\n```" },
    };

    [Theory]
    [MemberData(nameof(Constructs))]
    public void Render_ProducesDiscordMarkdown_ForEachConstruct(string markdown, string expected)
    {
        var message = Render.One(markdown, RenderTarget.DiscordMarkdown);

        Assert.Equal(expected, message);
        DiscordMarkdownValidator.Validate(message);
    }

    [Theory]
    [InlineData("@everyone")]
    [InlineData("@here")]
    [InlineData("<@123456789012345678>")]
    [InlineData("<@&123>")]
    [InlineData("<#123>")]
    public void Render_NeverPings_InAnyFormatOrPart(string mention)
    {
        foreach (var format in Enum.GetValues<SourceFormat>())
        {
            var source = string.Join(' ', Enumerable.Repeat(mention, 300));
            var result = Render.All(source, RenderTarget.DiscordMarkdown, 200, format);
            foreach (var part in result.Parts.Concat(result.PlainParts)) DiscordMarkdownValidator.Validate(part, 200);
        }
    }

    [Fact]
    public void Render_CountsAstralCharactersAsTwo_ToStayUnderDiscordsCount()
    {
        var full = string.Concat(Enumerable.Repeat("😀", 1000));

        Assert.Single(ChatRenderer.Render(full, SourceFormat.Text, RenderTarget.DiscordMarkdown).Parts);
        Assert.Equal(2, ChatRenderer.Render(full + "😀", SourceFormat.Text, RenderTarget.DiscordMarkdown).Parts.Count);
    }
}
