using Markdig.Syntax;

namespace HandsBot.Rendering.Markdown.Blocks;

internal sealed class ParagraphRenderer : ChatObjectRenderer<ParagraphBlock>
{
    protected override void Write(ChatMarkdownRenderer renderer, ParagraphBlock obj)
    {
        renderer.WriteLeafContent(obj);
        renderer.Writer.EndBlock();
    }
}
