namespace HandsBot.Rendering.Output;

/// <summary>
/// A formatting span of one dialect: the text that opens and closes it, what each costs against the
/// platform's length limit, and (for list items and Discord quotes) the prefix repeated on every
/// following line. The splitter closes every open markup at the end of a part and reopens it in the next.
/// </summary>
internal sealed class Markup
{
    public required string Open { get; init; }
    public string Close { get; init; } = "";
    public int OpenCost { get; init; }
    public int CloseCost { get; init; }

    /// <summary>Written after each new line inside the span (and when the span is reopened mid-item), or null.</summary>
    public string? Continuation { get; init; }

    /// <summary>Open/Continuation are visible text (bullets, indentation) and are kept in plain parts.</summary>
    public bool Visible { get; init; }

    /// <summary>The opener ends with a line break and the closer starts with one (Discord code fences).</summary>
    public bool OnOwnLines { get; init; }

    /// <summary>Text inside is code: the dialect escapes it as code, and the splitter never breaks it at words.</summary>
    public bool IsCode { get; init; }

    /// <summary>What the markup is, for the platform's nesting rules.</summary>
    public MarkupKind Kind { get; init; }

    /// <summary>Markup whose tags do not count towards the limit (Telegram entities).</summary>
    public static Markup Tag(string open, string close) => new() { Open = open, Close = close };

    /// <summary>Markup whose delimiters are counted characters (Discord Markdown).</summary>
    public static Markup Delimited(string open, string close) =>
        new() { Open = open, Close = close, OpenCost = open.Length, CloseCost = close.Length };

    /// <summary>A visible line prefix: a bullet whose continuation lines are indented to its width.</summary>
    public static Markup Bullet(string bullet) => new()
    {
        Open = bullet,
        OpenCost = bullet.Length,
        Continuation = new string(' ', bullet.Length),
        Visible = true,
        Kind = MarkupKind.Layout,
    };
}
