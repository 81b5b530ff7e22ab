using Markdig.Syntax;

namespace HandsBot.Rendering.Markdown.Blocks;

/// <summary>Any other leaf block (from an extension) keeps its text.</summary>
internal sealed class FallbackLeafRenderer : ChatObjectRenderer<LeafBlock>
{
    protected override void Write(ChatMarkdownRenderer renderer, LeafBlock obj)
    {
        renderer.WriteLeafContent(obj);
        renderer.Writer.EndBlock();
    }
}
