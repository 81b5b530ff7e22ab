using Markdig.Syntax;

namespace HandsBot.Rendering.Markdown.Blocks;

/// <summary>Telegram has no headings: bold. Discord: # to ###, smaller ones bold.</summary>
internal sealed class HeadingRenderer : ChatObjectRenderer<HeadingBlock>
{
    protected override void Write(ChatMarkdownRenderer renderer, HeadingBlock obj)
    {
        renderer.Writer.Open(renderer.Dialect.Heading(obj.Level));
        renderer.WriteLeafContent(obj);
        renderer.Writer.Close();
        renderer.Writer.EndBlock();
    }
}
