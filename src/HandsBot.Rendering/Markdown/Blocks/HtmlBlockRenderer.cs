using Markdig.Syntax;

namespace HandsBot.Rendering.Markdown.Blocks;

/// <summary>Raw HTML is never passed through: it is shown as escaped text.</summary>
internal sealed class HtmlBlockRenderer : ChatObjectRenderer<HtmlBlock>
{
    protected override void Write(ChatMarkdownRenderer renderer, HtmlBlock obj)
    {
        renderer.WriteLeafContent(obj);
        renderer.Writer.EndBlock();
    }
}
