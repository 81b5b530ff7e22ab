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

/// <summary>Renders hand output and command replies for each platform. (Placeholder: being replaced by the Markdig renderer.)</summary>
public static class ChatRenderer
{
    public static int DefaultMaxLength(RenderTarget target) => target switch
    {
        RenderTarget.TelegramHtml => 4096,
        RenderTarget.DiscordMarkdown => 2000,
        _ => 4096,
    };

    public static RenderResult Render(string source, SourceFormat format, RenderTarget target, RenderOptions? options = null)
    {
        options ??= new RenderOptions();
        var text = options.Title is null ? source : options.Title + "\n\n" + source;
        if (target == RenderTarget.TelegramHtml)
        {
            text = text.Replace("&", "&amp;", StringComparison.Ordinal).Replace("<", "&lt;", StringComparison.Ordinal).Replace(">", "&gt;", StringComparison.Ordinal);
        }
        var max = options.MaxLength ?? DefaultMaxLength(target);
        var parts = new List<string>();
        for (var i = 0; i < text.Length; i += max)
        {
            parts.Add(text.Substring(i, Math.Min(max, text.Length - i)));
        }
        if (parts.Count == 0) parts.Add("(empty)");
        return new RenderResult { Parts = parts, PlainParts = parts };
    }
}
