using Markdig.Syntax.Inlines;

namespace HandsBot.Rendering.Markdown.Inlines;

/// <summary>A code span is one unbreakable piece: it is only cut when longer than a whole part.</summary>
internal sealed class CodeInlineRenderer : ChatObjectRenderer<CodeInline>
{
    protected override void Write(ChatMarkdownRenderer renderer, CodeInline obj)
    {
        var content = obj.ContentSpan;
        if (content.IsWhiteSpace())
        {
            renderer.Writer.Write(content);
            return;
        }
        renderer.Writer.Open(renderer.Dialect.InlineCode(content));
        renderer.Writer.Write(content, atomic: true);
        renderer.Writer.Close();
    }
}
