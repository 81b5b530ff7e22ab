using System.Text;
using HandsBot.Rendering.Output;

namespace HandsBot.Rendering.Dialects;

/// <summary>Readable text without markup (console, fallback): only bullets and quote markers remain.</summary>
internal sealed class PlainTextDialect : ChatDialect
{
    public static readonly PlainTextDialect Instance = new();

    private static readonly Markup QuoteMarker = new() { Open = "> ", OpenCost = 2, Continuation = "> ", Visible = true };

    private PlainTextDialect()
    {
    }

    public override string Rule => "----------";

    public override int AppendText(StringBuilder output, ReadOnlySpan<char> text, bool code)
    {
        output.Append(text);
        return text.Length;
    }

    public override Markup? Emphasis(char delimiter, int count) => null;
    public override Markup? Heading(int level) => null;
    public override Markup? Quote(bool expandable) => QuoteMarker;
    public override Markup? CodeBlock(string? language) => null;
    public override Markup? InlineCode(ReadOnlySpan<char> content) => null;
    public override Markup? Link(string url) => null;

    public override (string Text, int Cost) AttachedNote(string fileName)
    {
        var note = $"\n\n(full output attached as {fileName})";
        return (note, note.Length);
    }
}
