using System.Text;
using HandsBot.Rendering.Tests.Validators;

namespace HandsBot.Rendering.Tests;

public class SplittingTests
{
    public static TheoryData<RenderTarget> Targets => new(Enum.GetValues<RenderTarget>());

    private static string Words(int count, string prefix = "w") =>
        string.Join(' ', Enumerable.Range(0, count).Select(i => prefix + i));

    [Theory]
    [MemberData(nameof(Targets))]
    public void Render_SplitsBetweenWords_WhenParagraphIsLong(RenderTarget target)
    {
        var source = Words(400);

        var result = Render.All(source, target, 200);

        Assert.True(result.Parts.Count > 5);
        PartValidator.ValidateAll(result, target, 200);
        foreach (var part in result.PlainParts)
        {
            Assert.All(part.Split(' ', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries), w => Assert.Matches("^w[0-9]+$", w));
        }
        Assert.Equal(source, string.Join(' ', result.PlainParts.Select(p => p.Trim())));
    }

    [Theory]
    [MemberData(nameof(Targets))]
    public void Render_SplitsBetweenBlocks_BeforeLines(RenderTarget target)
    {
        var paragraph = string.Join('\n', Enumerable.Range(0, 5).Select(i => Words(3, $"p{i}l")));
        var source = string.Join("\n\n", Enumerable.Repeat(paragraph, 6));

        var result = Render.All(source, target, paragraph.Length * 2 + 20);

        PartValidator.ValidateAll(result, target, paragraph.Length * 2 + 20);
        Assert.All(result.PlainParts, p => Assert.StartsWith("p0l0", p, StringComparison.Ordinal));
        Assert.All(result.PlainParts, p => Assert.EndsWith("p4l2", p, StringComparison.Ordinal));
    }

    [Theory]
    [InlineData(RenderTarget.TelegramHtml, "<pre><code class=\"language-python\">", "</code></pre>")]
    [InlineData(RenderTarget.DiscordMarkdown, "```python\n", "\n```")]
    public void Render_ReopensCodeBlockWithLanguage_WhenCodeBlockIsSplit(RenderTarget target, string open, string close)
    {
        var lines = Enumerable.Range(0, 500).Select(i => $"print({i}) # line {i} <&>").ToList();
        var code = string.Join('\n', lines);
        Assert.True(code.Length >= 10_000);

        var result = Render.All($"```python\n{code}\n```", target, ChatRenderer.DefaultMaxLength(target));

        Assert.True(result.Parts.Count >= 3);
        PartValidator.ValidateAll(result, target, ChatRenderer.DefaultMaxLength(target));
        Assert.All(result.Parts, p => Assert.StartsWith(open, p, StringComparison.Ordinal));
        Assert.All(result.Parts, p => Assert.EndsWith(close, p, StringComparison.Ordinal));
        Assert.Equal(lines, result.PlainParts.SelectMany(p => p.Split('\n')).Where(l => l.Length > 0).Select(l => l.Trim()).Where(l => !l.StartsWith("```", StringComparison.Ordinal)));
    }

    [Theory]
    [MemberData(nameof(Targets))]
    public void Render_HardSplitsCode_WhenOneLineIsLongerThanAPart(RenderTarget target)
    {
        var line = string.Concat(Enumerable.Range(0, 2000).Select(i => (char)('a' + i % 26)));

        var result = Render.All($"```\n{line}\n```", target, 300);

        PartValidator.ValidateAll(result, target, 300);
        var rejoined = string.Concat(result.PlainParts.Select(p => p.Replace("```", "", StringComparison.Ordinal).Replace("\n", "", StringComparison.Ordinal)));
        Assert.Equal(line, rejoined);
    }

    [Theory]
    [MemberData(nameof(Targets))]
    public void Render_NeverSplitsSurrogatePairs_AtAnyCutPoint(RenderTarget target)
    {
        for (var shift = 0; shift < 4; shift++)
        {
            foreach (var limit in new[] { 64, 65, 66, 67, 101 })
            {
                var source = new string('x', shift) + string.Concat(Enumerable.Repeat("😀𝄞👍🏽", 80));

                var result = Render.All(source, target, limit, SourceFormat.Text);

                PartValidator.ValidateAll(result, target, limit);
                var joined = string.Concat(result.PlainParts);
                Assert.Equal(source, target == RenderTarget.DiscordMarkdown ? joined.Replace("\\", "", StringComparison.Ordinal) : joined);
            }
        }
    }

    [Fact]
    public void Render_KeepsGraphemeClustersTogether_WhenHardSplitting()
    {
        var family = "👨‍👩‍👧‍👦";
        var source = string.Concat(Enumerable.Repeat(family, 40));

        var result = Render.All(source, RenderTarget.TelegramHtml, 100, SourceFormat.Text);

        Assert.All(result.Parts, p => Assert.Equal(0, p.Length % family.Length));
    }

    [Theory]
    [MemberData(nameof(Targets))]
    public void Render_IndentsReopenedNestedList_WhenListIsSplit(RenderTarget target)
    {
        var source = new StringBuilder();
        for (var i = 0; i < 30; i++)
        {
            source.Append($"- item {i}\n  - nested {i} {Words(6, "n")}\n    - deeper {i}\n");
        }

        var result = Render.All(source.ToString(), target, 150);

        PartValidator.ValidateAll(result, target, 150);
        VisibleText.AssertContainsInOrder(VisibleText.Of(result.PlainParts, RenderTarget.PlainText), Enumerable.Range(0, 30).SelectMany(i => new[] { $"item{i}", $"nested{i}", $"deeper{i}" }));
        Assert.All(result.PlainParts.SelectMany(p => p.Split('\n')), line => Assert.Matches(@"^(\S|  \S|    \S)", line));
    }

    [Theory]
    [MemberData(nameof(Targets))]
    public void Render_NeverCutsEntitiesOrTags_InHtmlLookingText(RenderTarget target)
    {
        var source = string.Concat(Enumerable.Repeat("<b>&amp;</b>&<>\"", 200));

        var result = Render.All(source, target, 100, SourceFormat.Text);

        PartValidator.ValidateAll(result, target, 100);
        var joined = string.Concat(result.PlainParts);
        Assert.Equal(source, target == RenderTarget.DiscordMarkdown ? joined.Replace("\\", "", StringComparison.Ordinal).Replace("\u200B", "", StringComparison.Ordinal) : joined);
    }

    [Theory]
    [InlineData(RenderTarget.TelegramHtml, "<a href=\"https://e.com/a_(b)\">", "</a>")]
    [InlineData(RenderTarget.DiscordMarkdown, "[", "](https://e.com/a_%28b%29)")]
    public void Render_ReopensLink_WhenLinkTextIsSplit(RenderTarget target, string open, string close)
    {
        var result = Render.All($"[{Words(80)} (x)](https://e.com/a_(b))", target, 150);

        PartValidator.ValidateAll(result, target, 150);
        Assert.All(result.Parts, p => Assert.StartsWith(open, p, StringComparison.Ordinal));
        Assert.All(result.Parts, p => Assert.EndsWith(close, p, StringComparison.Ordinal));
    }

    [Theory]
    [InlineData(RenderTarget.TelegramHtml, "<i><b>", "</b></i>")]
    [InlineData(RenderTarget.DiscordMarkdown, "***", "***")]
    public void Render_ClosesAndReopensFormatting_AtEveryCut(RenderTarget target, string open, string close)
    {
        var result = Render.All($"***{Words(200)}***", target, 120);

        PartValidator.ValidateAll(result, target, 120);
        Assert.All(result.Parts, p => Assert.StartsWith(open, p, StringComparison.Ordinal));
        Assert.All(result.Parts, p => Assert.EndsWith(close, p, StringComparison.Ordinal));
    }

    [Fact]
    public void Render_KeepsCodeSpanWhole_WhenItFitsInAPart()
    {
        var span = "`" + Words(8, "c") + "`";
        var source = Words(20) + " " + span + " " + Words(20, "v");

        var result = Render.All(source, RenderTarget.TelegramHtml, 100);

        PartValidator.ValidateAll(result, RenderTarget.TelegramHtml, 100);
        Assert.Contains(result.Parts, p => p.Contains("<code>" + Words(8, "c") + "</code>", StringComparison.Ordinal));
    }

    [Theory]
    [InlineData(RenderTarget.TelegramHtml, "<code></code>")]
    [InlineData(RenderTarget.DiscordMarkdown, "``")]
    public void Render_NeverLeavesAnEmptySpanAtACut_WhenCodeSpanDoesNotFitAfterText(RenderTarget target, string emptySpan)
    {
        var source = new string('x', 50) + "`" + new string('y', 40) + "`";

        var result = Render.All(source, target, 64);

        PartValidator.ValidateAll(result, target, 64);
        Assert.DoesNotContain(result.Parts, p => p.Contains(emptySpan, StringComparison.Ordinal));
        Assert.Equal(2, result.Parts.Count);
    }

    [Theory]
    [MemberData(nameof(Targets))]
    public void Render_PutsTitleInBoldAtTopOfFirstPartOnly(RenderTarget target)
    {
        var result = Render.All(Words(300), target, 200, title: "Daily report");

        PartValidator.ValidateAll(result, target, 200);
        var expected = target switch
        {
            RenderTarget.TelegramHtml => "<b>Daily report</b>\n\nw0",
            RenderTarget.DiscordMarkdown => "**Daily report**\n\nw0",
            _ => "Daily report\n\nw0",
        };
        Assert.StartsWith(expected, result.Parts[0], StringComparison.Ordinal);
        Assert.DoesNotContain(result.Parts.Skip(1), p => p.Contains("Daily report", StringComparison.Ordinal));
    }

    [Theory]
    [MemberData(nameof(Targets))]
    public void Render_AttachesWholeSourceAsFile_WhenPartsExceedMaxParts(RenderTarget target)
    {
        var source = Words(2000);

        var result = ChatRenderer.Render(source, SourceFormat.Markdown, target, new RenderOptions { MaxLength = 500, MaxParts = 3, FileName = "report.md" });

        Assert.True(result.SentAsFile);
        Assert.Equal("report.md", result.FileName);
        Assert.Equal(source, result.FileContent);
        var part = Assert.Single(result.Parts);
        Assert.Single(result.PlainParts);
        PartValidator.ValidateAll(result, target, 500);
        Assert.Contains("(full output attached as report.md)", part, StringComparison.Ordinal);
        Assert.StartsWith("w0 w1", result.PlainParts[0], StringComparison.Ordinal);
    }

    [Theory]
    [MemberData(nameof(Targets))]
    public void Render_DoesNotAttachFile_WhenPartsFitMaxParts(RenderTarget target)
    {
        var result = ChatRenderer.Render(Words(100), SourceFormat.Markdown, target, new RenderOptions { MaxLength = 200, MaxParts = 4 });

        Assert.False(result.SentAsFile);
        Assert.Null(result.FileContent);
        Assert.InRange(result.Parts.Count, 2, 4);
    }

    [Theory]
    [InlineData(0, 4096)]
    [InlineData(-1, 4096)]
    public void Render_RejectsMaxParts_WhenBelowOne(int maxParts, int maxLength)
    {
        var error = Assert.Throws<ArgumentOutOfRangeException>(() => ChatRenderer.Render("x", SourceFormat.Markdown, RenderTarget.TelegramHtml, new RenderOptions { MaxParts = maxParts, MaxLength = maxLength }));
        Assert.Contains("MaxParts", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Render_RejectsMaxLength_WhenTooSmallToHoldFormatting()
    {
        var error = Assert.Throws<ArgumentOutOfRangeException>(() => ChatRenderer.Render("x", SourceFormat.Markdown, RenderTarget.TelegramHtml, new RenderOptions { MaxLength = 10 }));
        Assert.Contains("MaxLength", error.Message, StringComparison.Ordinal);
    }
}
