using Markdig.Syntax.Inlines;

namespace HandsBot.Rendering.Markdown.Inlines;

/// <summary>&amp;copy; and friends become the character they name (escaped again by the dialect).</summary>
internal sealed class HtmlEntityRenderer : ChatObjectRenderer<HtmlEntityInline>
{
    protected override void Write(ChatMarkdownRenderer renderer, HtmlEntityInline obj) => renderer.Writer.Write(obj.Transcoded.AsSpan());
}
