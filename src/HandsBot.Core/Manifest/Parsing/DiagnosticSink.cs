using HandsBot.Core.Model;

namespace HandsBot.Core.Manifest.Parsing;

/// <summary>Collects the diagnostics of one file.</summary>
internal sealed class DiagnosticSink(string file)
{
    private readonly List<Diagnostic> _items = [];

    public string File { get; } = file;
    public IReadOnlyList<Diagnostic> Items => _items;
    public bool HasErrors => _items.Any(d => d.IsError);

    public void Error(SourceLocation at, string key, string message) =>
        _items.Add(new Diagnostic(Severity.Error, File, at.Line, at.Column, key, message));

    public void Warning(SourceLocation at, string key, string message) =>
        _items.Add(new Diagnostic(Severity.Warning, File, at.Line, at.Column, key, message));

    public void Add(Diagnostic diagnostic) => _items.Add(diagnostic);
}
