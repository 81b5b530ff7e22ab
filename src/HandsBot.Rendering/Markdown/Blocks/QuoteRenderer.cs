using Markdig.Syntax;

namespace HandsBot.Rendering.Markdown.Blocks;

/// <summary>Block quotes; long ones are expandable on Telegram.</summary>
internal sealed class QuoteRenderer : ChatObjectRenderer<QuoteBlock>
{
    private const int ExpandableFrom = 600;

    protected override void Write(ChatMarkdownRenderer renderer, QuoteBlock obj)
    {
        var writer = renderer.Writer;
        var tight = writer.Tight;
        writer.Tight = false;
        writer.Open(renderer.Dialect.Quote(expandable: obj.Span.Length >= ExpandableFrom));
        renderer.WriteChildren(obj);
        writer.Close();
        writer.Tight = tight;
        writer.EndBlock();
    }
}
