using HandsBot.Rendering.Dialects;
using HandsBot.Rendering.Markdown.Blocks;
using HandsBot.Rendering.Markdown.Inlines;
using HandsBot.Rendering.Output;
using Markdig.Renderers;
using Markdig.Syntax;

namespace HandsBot.Rendering.Markdown;

/// <summary>
/// Walks Markdig's syntax tree with one renderer per node type (Markdig's own renderer design) and
/// writes dialect tokens; splitting into parts happens afterwards, on the tokens.
/// </summary>
internal sealed class ChatMarkdownRenderer : RendererBase
{
    public ChatMarkdownRenderer(ChatDialect dialect, ChatWriter writer)
    {
        Dialect = dialect;
        Writer = writer;
        ObjectRenderers.Add(new ParagraphRenderer());
        ObjectRenderers.Add(new HeadingRenderer());
        ObjectRenderers.Add(new QuoteRenderer());
        ObjectRenderers.Add(new ListRenderer());
        ObjectRenderers.Add(new CodeBlockRenderer());
        ObjectRenderers.Add(new ThematicBreakRenderer());
        ObjectRenderers.Add(new TableRenderer());
        ObjectRenderers.Add(new HtmlBlockRenderer());
        ObjectRenderers.Add(new LinkReferenceDefinitionRenderer());
        ObjectRenderers.Add(new LiteralRenderer());
        ObjectRenderers.Add(new EmphasisRenderer());
        ObjectRenderers.Add(new CodeInlineRenderer());
        ObjectRenderers.Add(new LinkRenderer());
        ObjectRenderers.Add(new AutolinkRenderer());
        ObjectRenderers.Add(new LineBreakRenderer());
        ObjectRenderers.Add(new HtmlEntityRenderer());
        ObjectRenderers.Add(new HtmlInlineRenderer());
        ObjectRenderers.Add(new FallbackLeafRenderer());
    }

    public ChatDialect Dialect { get; }
    public ChatWriter Writer { get; }

    public override object Render(MarkdownObject markdownObject)
    {
        Write(markdownObject);
        return Writer;
    }

    /// <summary>Writes a leaf block's inlines, or its raw lines when it has none.</summary>
    public void WriteLeafContent(LeafBlock block)
    {
        if (block.Inline is not null)
        {
            WriteChildren(block.Inline);
            return;
        }
        var lines = block.Lines;
        for (var i = 0; i < lines.Count; i++)
        {
            if (i > 0) Writer.LineBreak();
            Writer.Write(lines.Lines[i].Slice.AsSpan(), atomic: false);
        }
    }
}

/// <summary>Base of the node renderers.</summary>
internal abstract class ChatObjectRenderer<TObject> : MarkdownObjectRenderer<ChatMarkdownRenderer, TObject>
    where TObject : MarkdownObject;
