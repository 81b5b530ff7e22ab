using Markdig.Syntax;

namespace HandsBot.Rendering.Markdown.Blocks;

/// <summary>Neither platform draws a rule: a line of box-drawing characters.</summary>
internal sealed class ThematicBreakRenderer : ChatObjectRenderer<ThematicBreakBlock>
{
    protected override void Write(ChatMarkdownRenderer renderer, ThematicBreakBlock obj)
    {
        renderer.Writer.Write(renderer.Dialect.Rule);
        renderer.Writer.EndBlock();
    }
}
