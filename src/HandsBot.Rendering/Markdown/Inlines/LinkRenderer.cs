using Markdig.Syntax.Inlines;

namespace HandsBot.Rendering.Markdown.Inlines;

/// <summary>
/// Links and images (an image becomes a link to it). A link the platform can't carry (relative,
/// javascript:, too long) keeps its label with the address after it as text.
/// </summary>
internal sealed class LinkRenderer : ChatObjectRenderer<LinkInline>
{
    protected override void Write(ChatMarkdownRenderer renderer, LinkInline obj)
    {
        var writer = renderer.Writer;
        var url = obj.GetDynamicUrl?.Invoke() ?? obj.Url ?? "";
        var markup = url.Length == 0 ? null : renderer.Dialect.Link(url);
        if (markup is not null && !writer.Affordable(markup)) markup = null;
        var hasLabel = obj.FirstChild is not null;
        writer.Open(markup);
        if (hasLabel) renderer.WriteChildren(obj);
        else writer.Write(obj.IsImage ? "image" : url);
        writer.Close();
        if (markup is null && url.Length > 0 && hasLabel && !obj.IsAutoLink)
        {
            writer.Write(" (");
            writer.Write(url);
            writer.Write(")");
        }
    }
}
