using HandsBot.Rendering.Dialects;
using HandsBot.Rendering.Markdown;
using HandsBot.Rendering.Output;
using HandsBot.Rendering.Sources;
using HandsBot.Rendering.Splitting;
using Markdig;

namespace HandsBot.Rendering;

/// <summary>Which platform dialect to render to.</summary>
public enum RenderTarget { TelegramHtml, DiscordMarkdown, PlainText }

/// <summary>What the source text is.</summary>
public enum SourceFormat { Markdown, Json, Html, Text }

public sealed record RenderOptions
{
    /// <summary>Past this many parts the full source is sent as a file with the first part as the message.</summary>
    public int MaxParts { get; init; } = 4;
    /// <summary>Overrides the platform's message length limit (tests use small limits).</summary>
    public int? MaxLength { get; init; }
    /// <summary>A heading rendered in bold at the top of the first part.</summary>
    public string? Title { get; init; }
    /// <summary>Name of the file when the output is sent as a file.</summary>
    public string FileName { get; init; } = "output.md";
}

/// <summary>Rendered messages, each within the platform's limits.</summary>
public sealed record RenderResult
{
    public required IReadOnlyList<string> Parts { get; init; }
    /// <summary>Plain-text equivalents of <see cref="Parts"/>, for a retry when a platform rejects the formatting.</summary>
    public required IReadOnlyList<string> PlainParts { get; init; }
    /// <summary>True when the output was too long: send <see cref="Parts"/>[0] and attach the file.</summary>
    public bool SentAsFile { get; init; }
    public string? FileName { get; init; }
    public string? FileContent { get; init; }
}

/// <summary>
/// Renders hand output and command replies for each platform: Markdown (or JSON, HTML, text) parsed
/// with Markdig, written in the platform's dialect and split into messages within its length limit.
/// </summary>
public static class ChatRenderer
{
    /// <summary>The smallest <see cref="RenderOptions.MaxLength"/> accepted: room for reopened formatting and some text.</summary>
    public const int MinimumMaxLength = 64;

    /// <summary>Shown when there is nothing to send, as platforms reject empty messages.</summary>
    public const string NoOutput = "(no output)";

    /// <summary>
    /// The Markdown understood: CommonMark with pipe tables, ~~strike~~, ++underline++ and bare URLs.
    /// Raw HTML is read as text, so it is shown, never interpreted.
    /// </summary>
    public static MarkdownPipeline Pipeline { get; } = new MarkdownPipelineBuilder()
        .UsePipeTables()
        .UseEmphasisExtras(Markdig.Extensions.EmphasisExtras.EmphasisExtraOptions.Strikethrough | Markdig.Extensions.EmphasisExtras.EmphasisExtraOptions.Inserted)
        .UseAutoLinks()
        .DisableHtml()
        .Build();

    /// <summary>
    /// Message length limits: Telegram 4096 UTF-16 code units after entity parsing; Discord 2000
    /// (counted here in UTF-16 code units, never fewer than Discord's count); plain text 4096.
    /// </summary>
    public static int DefaultMaxLength(RenderTarget target) => target switch
    {
        RenderTarget.TelegramHtml => 4096,
        RenderTarget.DiscordMarkdown => 2000,
        _ => 4096,
    };

    /// <summary>Renders <paramref name="source"/> for <paramref name="target"/>, split into parts within its limit.</summary>
    /// <exception cref="ArgumentOutOfRangeException">MaxParts below 1 or MaxLength below <see cref="MinimumMaxLength"/>.</exception>
    public static RenderResult Render(string source, SourceFormat format, RenderTarget target, RenderOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(source);
        options ??= new RenderOptions();
        if (options.MaxParts < 1)
        {
            throw new ArgumentOutOfRangeException(nameof(options), options.MaxParts, "RenderOptions.MaxParts must be at least 1.");
        }
        var limit = options.MaxLength ?? DefaultMaxLength(target);
        if (limit < MinimumMaxLength)
        {
            throw new ArgumentOutOfRangeException(nameof(options), limit, $"RenderOptions.MaxLength must be at least {MinimumMaxLength}.");
        }

        var dialect = ChatDialect.For(target);
        // Only the head of a huge output can reach the chat (the rest goes as the file): tokenizing all of
        // it would hold the whole document tree in memory for nothing.
        var head = Head(source, (long)limit * options.MaxParts * 2 + 4096);
        var document = Tokenize(head, format, dialect, options.Title, limit);
        var splitter = new PartSplitter(dialect, document);
        var (parts, truncated) = splitter.Split(limit, options.MaxParts);
        truncated |= head.Length < source.Length;
        if (!truncated)
        {
            return new RenderResult { Parts = [.. parts.Select(p => p.Text)], PlainParts = new LazyPlainParts(splitter, parts) };
        }

        // Too long: the first part, with a note, as the message; the whole source as the file.
        var (note, noteCost) = dialect.AttachedNote(options.FileName);
        var (plainNote, plainNoteCost) = dialect.PlainAttachedNote(options.FileName);
        var withNote = Math.Max(noteCost, plainNoteCost) <= limit / 2;
        var first = withNote ? splitter.Split(limit - Math.Max(noteCost, plainNoteCost), 1).Parts[0] : parts[0];
        return new RenderResult
        {
            Parts = [withNote ? first.Text + note : first.Text],
            PlainParts = new LazyPlainParts(splitter, [first], withNote ? plainNote : ""),
            SentAsFile = true,
            FileName = options.FileName,
            FileContent = source,
        };
    }

    /// <summary>The source cut at the last line end within <paramref name="budget"/> characters (whole when it fits).</summary>
    private static string Head(string source, long budget)
    {
        if (source.Length <= budget) return source;
        var cut = source.LastIndexOf('\n', (int)budget - 1);
        return source[..(cut > 0 ? cut : (int)budget)];
    }

    private static RenderedDocument Tokenize(string source, SourceFormat format, ChatDialect dialect, string? title, int limit)
    {
        var writer = new ChatWriter(dialect) { MaxMarkupCost = limit / 4 };
        if (!string.IsNullOrWhiteSpace(title))
        {
            writer.Open(dialect.Strong);
            writer.Write(title.ReplaceLineEndings(" ").Trim());
            writer.Close();
            writer.EndBlock();
        }
        writer.HasVisibleText = false;
        switch (format)
        {
            case SourceFormat.Markdown:
                WriteMarkdown(writer, dialect, source);
                break;
            case SourceFormat.Html:
                WriteMarkdown(writer, dialect, HtmlSource.ToMarkdown(source));
                break;
            case SourceFormat.Json:
                JsonSource.Write(writer, dialect, source);
                break;
            case SourceFormat.Text:
                TextSource.Write(writer, source);
                break;
            default:
                throw new ArgumentOutOfRangeException(nameof(format), format, "Unknown source format.");
        }
        if (!writer.HasVisibleText)
        {
            writer.EndBlock();
            writer.Write(NoOutput);
        }
        return writer.Finish();
    }

    private static void WriteMarkdown(ChatWriter writer, ChatDialect dialect, string markdown)
    {
        var document = Markdig.Markdown.Parse(markdown, Pipeline);
        new ChatMarkdownRenderer(dialect, writer).Render(document);
    }
}
