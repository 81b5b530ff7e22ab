namespace HandsBot.Rendering.Output;

internal enum TokenKind : byte { Text, Open, Close, NewLine }

/// <summary>
/// One element of a rendered document, before splitting: text (unescaped), the opening or closing
/// of a markup, or a line break (a block boundary is the preferred place to split, then a line break).
/// </summary>
internal readonly struct Token
{
    private Token(TokenKind kind, string? text, Markup? markup, bool flag, bool blank)
    {
        Kind = kind;
        Text = text;
        Markup = markup;
        Atomic = flag;
        BetweenBlocks = flag;
        Blank = blank;
    }

    public TokenKind Kind { get; }
    public string? Text { get; }
    public Markup? Markup { get; }

    /// <summary>Text: never split at words (a code span), only hard-split when longer than a part.</summary>
    public bool Atomic { get; }

    /// <summary>NewLine: separates blocks (the best split point) rather than lines of one block.</summary>
    public bool BetweenBlocks { get; }

    /// <summary>NewLine: leaves an empty line.</summary>
    public bool Blank { get; }

    public static Token ForText(string text, bool atomic) => new(TokenKind.Text, text, null, atomic, false);
    public static Token ForOpen(Markup markup) => new(TokenKind.Open, null, markup, false, false);
    public static Token ForClose() => new(TokenKind.Close, null, null, false, false);
    public static Token ForNewLine(bool betweenBlocks, bool blank) => new(TokenKind.NewLine, null, null, betweenBlocks, blank);
}
