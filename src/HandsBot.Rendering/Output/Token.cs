namespace HandsBot.Rendering.Output;

internal enum TokenKind : byte { Text, Open, Close, NewLine }

/// <summary>
/// One element of a rendered document, before splitting: text (unescaped, in a shared buffer), the opening or closing
/// of a markup, or a line break (a block boundary is the preferred place to split, then a line break).
/// </summary>
internal readonly struct Token
{
    private Token(TokenKind kind, int start, int length, Markup? markup, bool flag, bool blank)
    {
        Kind = kind;
        Start = start;
        Length = length;
        Markup = markup;
        Atomic = flag;
        BetweenBlocks = flag;
        Blank = blank;
    }

    public TokenKind Kind { get; }
    /// <summary>Text: where it is in the document's text buffer.</summary>
    public int Start { get; }

    public int Length { get; }

    public Markup? Markup { get; }

    /// <summary>Text: never split at words (a code span), only hard-split when longer than a part.</summary>
    public bool Atomic { get; }

    /// <summary>NewLine: separates blocks (the best split point) rather than lines of one block.</summary>
    public bool BetweenBlocks { get; }

    /// <summary>NewLine: leaves an empty line.</summary>
    public bool Blank { get; }

    public static Token ForText(int start, int length, bool atomic) => new(TokenKind.Text, start, length, null, atomic, false);
    public static Token ForOpen(Markup markup) => new(TokenKind.Open, 0, 0, markup, false, false);
    public static Token ForClose() => new(TokenKind.Close, 0, 0, null, false, false);
    public static Token ForNewLine(bool betweenBlocks, bool blank) => new(TokenKind.NewLine, 0, 0, null, betweenBlocks, blank);
}
