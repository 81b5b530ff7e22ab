using System.Text;
using Markdig.Syntax;
using Markdig.Syntax.Inlines;

namespace HandsBot.Rendering.Markdown;

/// <summary>The text of a block without its formatting (for table cells).</summary>
internal static class InlineText
{
    public static string Of(Block block)
    {
        var text = new StringBuilder();
        Append(text, block);
        return text.ToString().Trim();
    }

    private static void Append(StringBuilder text, Block block)
    {
        switch (block)
        {
            case LeafBlock { Inline: { } inline }:
                Append(text, inline);
                break;
            case LeafBlock leaf:
                text.Append(leaf.Lines.ToString());
                break;
            case ContainerBlock container:
                foreach (var child in container) Append(text, child);
                break;
        }
    }

    private static void Append(StringBuilder text, Inline inline)
    {
        switch (inline)
        {
            case LiteralInline literal:
                text.Append(literal.Content.AsSpan());
                break;
            case CodeInline code:
                text.Append(code.ContentSpan);
                break;
            case AutolinkInline autolink:
                text.Append(autolink.Url);
                break;
            case HtmlInline html:
                text.Append(html.Tag);
                break;
            case HtmlEntityInline entity:
                text.Append(entity.Transcoded.AsSpan());
                break;
            case LineBreakInline:
                text.Append(' ');
                break;
            case ContainerInline container:
                for (var child = container.FirstChild; child is not null; child = child.NextSibling) Append(text, child);
                break;
        }
    }
}
