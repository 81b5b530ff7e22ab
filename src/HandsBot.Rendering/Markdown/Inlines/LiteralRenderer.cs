using Markdig.Syntax.Inlines;

namespace HandsBot.Rendering.Markdown.Inlines;

internal sealed class LiteralRenderer : ChatObjectRenderer<LiteralInline>
{
    protected override void Write(ChatMarkdownRenderer renderer, LiteralInline obj) => renderer.Writer.Write(obj.Content.AsSpan());
}
