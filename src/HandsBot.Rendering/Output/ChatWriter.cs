using System.Text;

namespace HandsBot.Rendering.Output;

/// <summary>
/// Collects the tokens of a rendered document. Blocks ask for a separation when they end; it is only
/// written when more content follows, so nothing trails the document or opens a container.
/// </summary>
internal sealed class ChatWriter(Dialects.ChatDialect dialect)
{
    /// <summary>Deeper formatting is dropped (its text kept) so reopening never fills a part by itself.</summary>
    public const int MaxDepth = 8;

    private readonly List<Token> tokens = [];
    // All text, in one buffer: a token is a range of it (no string per piece of text).
    private readonly StringBuilder text = new();
    private int textStart;
    private readonly Stack<bool> written = new();
    private readonly List<Markup> kept = [];
    private bool textAtomic;
    private Separation pending;
    private bool hasContent;

    private enum Separation { None, Line, Blank }

    /// <summary>The document: its text buffer and the tokens (text tokens are ranges of the buffer).</summary>
    public RenderedDocument Finish()
    {
        FlushText();
        return new RenderedDocument(text.ToString(), tokens);
    }

    /// <summary>True once any non-whitespace text has been written.</summary>
    public bool HasVisibleText { get; set; }

    /// <summary>
    /// Markup costing more than this (a long link's address on Discord) is left out, as reopening it in
    /// every part would leave little room for text.
    /// </summary>
    public int MaxMarkupCost { get; init; } = int.MaxValue;

    /// <summary>Whether <paramref name="markup"/> is cheap enough to be written (see <see cref="MaxMarkupCost"/>).</summary>
    public bool Affordable(Markup markup) => markup.OpenCost + markup.CloseCost <= MaxMarkupCost;

    /// <summary>Within a tight list blocks are separated by a line break, not an empty line.</summary>
    public bool Tight { get; set; }

    public void Write(ReadOnlySpan<char> value, bool atomic = false)
    {
        if (value.IsEmpty) return;
        FlushPending();
        if (textAtomic != atomic || atomic) FlushText();
        if (text.Length == textStart) textAtomic = atomic;
        text.Append(value);
        hasContent = true;
        if (!HasVisibleText && !value.IsWhiteSpace()) HasVisibleText = true;
    }

    public void Open(Markup? markup)
    {
        FlushPending();
        FlushText();
        var keep = markup is not null && kept.Count < MaxDepth && Affordable(markup) && dialect.CanNest(markup, kept);
        written.Push(keep);
        if (keep)
        {
            kept.Add(markup!);
            tokens.Add(Token.ForOpen(markup!));
        }
        hasContent = true;
    }

    public void Close()
    {
        FlushText();
        if (!written.Pop()) return;
        kept.RemoveAt(kept.Count - 1);
        tokens.Add(Token.ForClose());
    }

    /// <summary>A line break inside a block (hard or soft break, a line of code).</summary>
    public void LineBreak()
    {
        FlushPending();
        FlushText();
        tokens.Add(Token.ForNewLine(betweenBlocks: false, blank: false));
    }

    /// <summary>Ends a block: whatever comes next starts after a blank line (a line break when tight).</summary>
    public void EndBlock()
    {
        if (!hasContent) return;
        var wanted = Tight ? Separation.Line : Separation.Blank;
        if (wanted > pending) pending = wanted;
    }

    private void FlushPending()
    {
        if (pending == Separation.None) return;
        FlushText();
        tokens.Add(Token.ForNewLine(betweenBlocks: true, blank: pending == Separation.Blank));
        pending = Separation.None;
    }

    private void FlushText()
    {
        if (text.Length == textStart) return;
        tokens.Add(Token.ForText(textStart, text.Length - textStart, textAtomic));
        textStart = text.Length;
    }
}
