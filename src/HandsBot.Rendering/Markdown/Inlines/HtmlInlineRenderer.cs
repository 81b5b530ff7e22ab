using Markdig.Syntax.Inlines;

namespace HandsBot.Rendering.Markdown.Inlines;

/// <summary>Inline raw HTML is shown as text, never passed through.</summary>
internal sealed class HtmlInlineRenderer : ChatObjectRenderer<HtmlInline>
{
    protected override void Write(ChatMarkdownRenderer renderer, HtmlInline obj) => renderer.Writer.Write(obj.Tag);
}
