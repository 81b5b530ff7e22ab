using Tomlyn;
using Tomlyn.Model;
using Tomlyn.Parsing;
using Tomlyn.Serialization;

namespace HandsBot.Core.Manifest.Parsing;

/// <summary>A parsed HAND.toml with the source positions of its keys and values, for diagnostics.</summary>
internal sealed class TomlDocument
{
    // Options are costly to build and safe to share; the store keeps positions in a ConditionalWeakTable keyed by table.
    private static readonly TomlMetadataStore SharedMetadata = new();
    private static readonly TomlSerializerOptions Options = new() { MetadataStore = SharedMetadata };

    private readonly string _text;
    private readonly TomlMetadataStore _metadata;

    private TomlDocument(string text, TomlTable root, TomlMetadataStore metadata)
    {
        _text = text;
        Root = root;
        _metadata = metadata;
    }

    public TomlTable Root { get; }

    /// <summary>Parses <paramref name="text"/>; syntax errors (including keys defined twice) go to <paramref name="sink"/> and give null.</summary>
    public static TomlDocument? Parse(string text, DiagnosticSink sink)
    {
        // The validating syntax pass reports every error with its position and catches redefined keys, which the
        // model reader silently accepts; it is as slow as the parse, so it runs only when something looks wrong.
        if (DuplicateKeyScan.MayHaveDuplicates(text) && ReportSyntaxErrors(text, sink))
        {
            return null;
        }
        try
        {
            var root = TomlSerializer.Deserialize<TomlTable>(text, Options);
            return root is null ? null : new TomlDocument(text, root, SharedMetadata);
        }
        catch (TomlException ex)
        {
            if (!ReportSyntaxErrors(text, sink))
            {
                sink.Error(new SourceLocation(ex.Line, ex.Column), "", "TOML syntax error: " + FirstLine(ex.Message));
            }
            return null;
        }
    }

    private static bool ReportSyntaxErrors(string text, DiagnosticSink sink)
    {
        var syntax = SyntaxParser.Parse(text, sink.File, validate: true);
        if (!syntax.HasErrors) return false;
        // One mistake often cascades into several reports; the first few distinct ones are what a person can act on.
        // Tomlyn lists parser errors before lexer errors, so an unclosed string (the cause) came after what it
        // broke: in file order, the cause comes first.
        var errors = syntax.Diagnostics
            .Where(d => d.Kind == Tomlyn.Syntax.DiagnosticMessageKind.Error)
            .OrderBy(d => d.Span.Start.Line).ThenBy(d => d.Span.Start.Column)
            .DistinctBy(d => d.Message)
            .Take(5);
        foreach (var d in errors)
        {
            sink.Error(new SourceLocation(d.Span.Start.Line + 1, d.Span.Start.Column + 1), "", "TOML syntax error: " + d.Message);
        }
        return true;
    }

    /// <summary>Where <paramref name="key"/> is written in <paramref name="table"/>.</summary>
    public SourceLocation KeyAt(TomlTable table, string key)
    {
        if (!_metadata.TryGetProperties(table, out var properties) || properties is null
            || !properties.TryGetProperty(key, out var property) || property is null)
        {
            return SourceLocation.Unknown;
        }
        var start = property.Span.Start;
        return new SourceLocation(start.Line + 1, start.Column + 1);
    }

    /// <summary>Where the value of <paramref name="key"/> starts (after "key ="), falling back to the key itself.</summary>
    public SourceLocation ValueAt(TomlTable table, string key)
    {
        if (!_metadata.TryGetProperties(table, out var properties) || properties is null
            || !properties.TryGetProperty(key, out var property) || property is null)
        {
            return SourceLocation.Unknown;
        }
        var span = property.Span;
        var keyAt = new SourceLocation(span.Start.Line + 1, span.Start.Column + 1);
        var end = span.End;
        var i = end.Offset + 1;
        if (end.Offset < 0 || i > _text.Length)
        {
            return keyAt;
        }

        // Walk "  =  " on the key's line; anything else (a [table] header, a dotted key) keeps the key's position.
        var sawEquals = false;
        for (; i < _text.Length; i++)
        {
            var c = _text[i];
            if (c == '=' && !sawEquals) { sawEquals = true; continue; }
            if (c is ' ' or '\t' or '"' or '\'' && !sawEquals) { continue; }
            if (c is ' ' or '\t') { continue; }
            break;
        }
        if (!sawEquals || i >= _text.Length || _text[i] is '\r' or '\n')
        {
            return keyAt;
        }
        return new SourceLocation(end.Line + 1, end.Column + 1 + (i - end.Offset));
    }

    private static string FirstLine(string message)
    {
        var line = message.Split('\n')[0].Trim();
        // Tomlyn prefixes "file(l,c) : error : "; the diagnostic carries the position already.
        var marker = line.IndexOf(": error : ", StringComparison.Ordinal);
        return marker >= 0 ? line[(marker + ": error : ".Length)..] : line;
    }
}
