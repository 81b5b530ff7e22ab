using Markdig.Syntax.Inlines;

namespace HandsBot.Rendering.Markdown.Inlines;

/// <summary>Chat messages keep the author's line breaks, soft ones included.</summary>
internal sealed class LineBreakRenderer : ChatObjectRenderer<LineBreakInline>
{
    protected override void Write(ChatMarkdownRenderer renderer, LineBreakInline obj) => renderer.Writer.LineBreak();
}
