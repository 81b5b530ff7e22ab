using Markdig.Syntax.Inlines;

namespace HandsBot.Rendering.Markdown.Inlines;

/// <summary>*em*, **strong**, ~~strike~~ and ++inserted++ (underline).</summary>
internal sealed class EmphasisRenderer : ChatObjectRenderer<EmphasisInline>
{
    protected override void Write(ChatMarkdownRenderer renderer, EmphasisInline obj)
    {
        renderer.Writer.Open(renderer.Dialect.Emphasis(obj.DelimiterChar, obj.DelimiterCount));
        renderer.WriteChildren(obj);
        renderer.Writer.Close();
    }
}
