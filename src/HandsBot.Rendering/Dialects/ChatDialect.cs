using System.Text;
using HandsBot.Rendering.Output;

namespace HandsBot.Rendering.Dialects;

/// <summary>
/// What differs between platforms: how text is escaped and counted, and which markup each Markdown
/// construct maps to (null: the construct has no markup there and only its text is kept).
/// </summary>
internal abstract class ChatDialect
{
    public static ChatDialect For(RenderTarget target) => target switch
    {
        RenderTarget.TelegramHtml => TelegramHtmlDialect.Instance,
        RenderTarget.DiscordMarkdown => DiscordMarkdownDialect.Instance,
        RenderTarget.PlainText => PlainTextDialect.Instance,
        _ => throw new ArgumentOutOfRangeException(nameof(target), target, "Unknown render target."),
    };

    /// <summary>Appends escaped text and returns what it counts against the platform's limit.</summary>
    public abstract int AppendText(StringBuilder output, ReadOnlySpan<char> text, bool code);

    /// <summary>False when the platform has no unformatted mode: plain parts are then the parts themselves.</summary>
    public virtual bool HasPlainMode => true;

    public abstract Markup? Emphasis(char delimiter, int count);
    public Markup? Strong => Emphasis('*', 2);
    public abstract Markup? Heading(int level);
    public abstract Markup? Quote(bool expandable);
    public abstract Markup? CodeBlock(string? language);
    public abstract Markup? InlineCode(ReadOnlySpan<char> content);

    /// <summary>A link to <paramref name="url"/>, or null when the platform can't (or mustn't) link it.</summary>
    public abstract Markup? Link(string url);

    /// <summary>Whether <paramref name="inner"/> may open inside <paramref name="open"/>; if not, its text is written without it.</summary>
    /// <remarks>
    /// Formatting inside the same formatting adds nothing and, on Discord, two closing "*" read as "**".
    /// </remarks>
    public virtual bool CanNest(Markup inner, IReadOnlyList<Markup> open) => inner.Kind != MarkupKind.Formatting || !open.Contains(inner);

    // Unordered items all share one markup (a benign race at worst builds it twice).
    private Markup? unorderedItem;

    public Markup ListItem(string bullet) => bullet == UnorderedBullet
        ? unorderedItem ??= Markup.Bullet(bullet)
        : Markup.Bullet(bullet);
    public virtual string UnorderedBullet => "• ";
    public virtual string Rule => "──────────";

    /// <summary>The note appended to the first part when the output is attached as a file, and its cost.</summary>
    public abstract (string Text, int Cost) AttachedNote(string fileName);

    /// <summary>The same note for a plain part.</summary>
    public virtual (string Text, int Cost) PlainAttachedNote(string fileName) => PlainTextDialect.Instance.AttachedNote(fileName);

    /// <summary>Only web links (and Telegram's own scheme) are links; anything else (javascript:, file:) is text.</summary>
    protected static bool HasScheme(string url, params ReadOnlySpan<string> schemes)
    {
        if (!Uri.TryCreate(url, UriKind.Absolute, out var uri)) return false;
        foreach (var scheme in schemes)
        {
            if (string.Equals(uri.Scheme, scheme, StringComparison.OrdinalIgnoreCase)) return true;
        }
        return false;
    }
}
