using Markdig.Syntax.Inlines;

namespace HandsBot.Rendering.Markdown.Inlines;

/// <summary>&lt;https://…&gt; and &lt;someone@example.com&gt;.</summary>
internal sealed class AutolinkRenderer : ChatObjectRenderer<AutolinkInline>
{
    protected override void Write(ChatMarkdownRenderer renderer, AutolinkInline obj)
    {
        var url = obj.IsEmail ? "mailto:" + obj.Url : obj.Url;
        renderer.Writer.Open(renderer.Dialect.Link(url));
        renderer.Writer.Write(obj.Url);
        renderer.Writer.Close();
    }
}
