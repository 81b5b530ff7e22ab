using System.Globalization;
using HandsBot.Core.Configuration;
using HandsBot.Core.Model;
using Microsoft.Extensions.Configuration;
using Tomlyn.Parsing;
using Tomlyn.Syntax;

namespace HandsBot.Configuration;

/// <summary>
/// config/handsbot.toml read through Tomlyn's syntax tree (no reflection, so it works trimmed and Native AOT):
/// every key with its position, flattened to configuration keys ("telegram:token", "access:admins:0").
/// </summary>
internal sealed class TomlConfigFile
{
    private readonly List<SettingEntry> _entries = [];
    private readonly Dictionary<string, int> _tableArrayCounts = new(StringComparer.OrdinalIgnoreCase);

    private TomlConfigFile(string displayName) => DisplayName = displayName;

    /// <summary>The file as shown in messages (config/handsbot.toml).</summary>
    public string DisplayName { get; }

    /// <summary>Every table, list and value in file order, with its position.</summary>
    public IReadOnlyList<SettingEntry> Entries => _entries;

    /// <summary>The values as configuration keys.</summary>
    public Dictionary<string, string?> Data { get; } = new(StringComparer.OrdinalIgnoreCase);

    /// <summary>Syntax errors, earliest first: the first one is the cause, later ones often follow from it.</summary>
    public IReadOnlyList<Diagnostic> Errors { get; private set; } = [];

    public static TomlConfigFile Parse(string text, string displayName)
    {
        var file = new TomlConfigFile(displayName);
        var document = SyntaxParser.Parse(text, displayName, validate: true);
        if (document.HasErrors)
        {
            file.Errors = [.. document.Diagnostics
                .Where(d => d.Kind == DiagnosticMessageKind.Error)
                .OrderBy(d => d.Span.Start.Line).ThenBy(d => d.Span.Start.Column)
                .DistinctBy(d => d.Message)
                .Take(3)
                .Select(d => new Diagnostic(Severity.Error, displayName, d.Span.Start.Line + 1, d.Span.Start.Column + 1, "", "TOML syntax error: " + d.Message))];
            return file;
        }
        foreach (var keyValue in document.KeyValues) file.AddKeyValue([], keyValue);
        foreach (var table in document.Tables)
        {
            var name = KeyParts(table.Name);
            if (name is null) continue;
            var path = string.Join(':', name);
            if (table is TableArraySyntax)
            {
                var index = file._tableArrayCounts.TryGetValue(path, out var count) ? count : 0;
                file._tableArrayCounts[path] = index + 1;
                file.Add(path, SettingEntryKind.List, null, "a list of tables", table.Name!);
                name = [.. name, index.ToString(CultureInfo.InvariantCulture)];
                path = string.Join(':', name);
            }
            file.Add(path, SettingEntryKind.Table, null, "a table", table.Name!);
            foreach (var keyValue in table.Items) file.AddKeyValue(name, keyValue);
        }
        return file;
    }

    private void AddKeyValue(List<string> prefix, KeyValueSyntax keyValue)
    {
        if (KeyParts(keyValue.Key) is not { } key || keyValue.Value is null) return;
        AddValue([.. prefix, .. key], keyValue.Value, keyValue.Key!);
    }

    private void AddValue(List<string> path, ValueSyntax value, SyntaxNode at)
    {
        var key = string.Join(':', path);
        switch (value)
        {
            case ArraySyntax array:
                Add(key, SettingEntryKind.List, null, "a list", at);
                var i = 0;
                foreach (var item in array.Items)
                {
                    if (item.Value is { } itemValue) AddValue([.. path, (i++).ToString(CultureInfo.InvariantCulture)], itemValue, itemValue);
                }
                break;
            case InlineTableSyntax table:
                Add(key, SettingEntryKind.Table, null, "a table", at);
                foreach (var item in table.Items)
                {
                    if (item.KeyValue is { } kv) AddKeyValue(path, kv);
                }
                break;
            default:
                var (text, shown) = Scalar(value);
                Add(key, SettingEntryKind.Value, text, shown, at);
                Data[key] = text;
                break;
        }
    }

    private void Add(string path, SettingEntryKind kind, string? value, string shown, SyntaxNode at) =>
        _entries.Add(new SettingEntry(path, kind, value, shown, DisplayName, at.Span.Start.Line + 1, at.Span.Start.Column + 1));

    private static (string? Text, string Shown) Scalar(ValueSyntax value) => value switch
    {
        StringValueSyntax s => (s.Value, $"\"{s.Value}\""),
        IntegerValueSyntax n => (n.Value.ToString(CultureInfo.InvariantCulture), n.Value.ToString(CultureInfo.InvariantCulture)),
        FloatValueSyntax f => (f.Value.ToString("R", CultureInfo.InvariantCulture), f.Value.ToString("R", CultureInfo.InvariantCulture)),
        BooleanValueSyntax b => (b.Value ? "true" : "false", b.Value ? "true" : "false"),
        DateTimeValueSyntax d => (d.Value.ToString(), d.Value.ToString()),
        _ => (null, "a value"),
    };

    private static List<string>? KeyParts(KeySyntax? key)
    {
        if (key?.Key is not { } first || Name(first) is not { } name) return null;
        var parts = new List<string> { name };
        foreach (var dotted in key.DotKeys)
        {
            if (dotted.Key is null || Name(dotted.Key) is not { } part) return null;
            parts.Add(part);
        }
        return parts;
    }

    private static string? Name(BareKeyOrStringValueSyntax key) => key switch
    {
        BareKeySyntax bare => bare.Key?.Text,
        StringValueSyntax quoted => quoted.Value,
        _ => null,
    };
}

/// <summary>Serves a parsed <see cref="TomlConfigFile"/> as a configuration source.</summary>
internal sealed class TomlConfigurationSource(TomlConfigFile file) : IConfigurationSource
{
    public TomlConfigFile File { get; } = file;

    public IConfigurationProvider Build(IConfigurationBuilder builder) => new TomlConfigurationProvider(File);
}

internal sealed class TomlConfigurationProvider(TomlConfigFile file) : ConfigurationProvider
{
    public override void Load() => Data = new Dictionary<string, string?>(file.Data, StringComparer.OrdinalIgnoreCase);
}

/// <summary>
/// HANDSBOT_SECTION__KEY variables as configuration keys, read from a given set (the process environment,
/// or a test's), remembering each key's variable so messages can name it.
/// </summary>
internal sealed class EnvironmentSettings
{
    public EnvironmentSettings(IEnumerable<KeyValuePair<string, string?>> variables)
    {
        foreach (var (name, value) in variables)
        {
            if (!name.StartsWith(SettingPath.EnvironmentPrefix, StringComparison.OrdinalIgnoreCase) || name.Length == SettingPath.EnvironmentPrefix.Length) continue;
            var path = name[SettingPath.EnvironmentPrefix.Length..].Replace("__", ":", StringComparison.Ordinal).ToLowerInvariant();
            Data[path] = value;
            Variables[path] = name;
            Entries.Add(new SettingEntry(path, SettingEntryKind.Value, value, $"\"{value}\"", name, FromEnvironment: true));
        }
    }

    public Dictionary<string, string?> Data { get; } = new(StringComparer.OrdinalIgnoreCase);

    /// <summary>Configuration key → the variable that set it.</summary>
    public Dictionary<string, string> Variables { get; } = new(StringComparer.OrdinalIgnoreCase);

    public List<SettingEntry> Entries { get; } = [];

    public static EnvironmentSettings FromProcess()
    {
        var all = Environment.GetEnvironmentVariables();
        var pairs = new List<KeyValuePair<string, string?>>();
        foreach (System.Collections.DictionaryEntry e in all) pairs.Add(new((string)e.Key, e.Value as string));
        return new EnvironmentSettings(pairs);
    }
}
