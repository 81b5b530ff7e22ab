using System.Globalization;
using HandsBot.Core.Manifest.Parsing;
using HandsBot.Core.Model;

namespace HandsBot.Core.Configuration;

public enum SettingEntryKind { Value, List, Table }

/// <summary>
/// One setting as a source wrote it: a key of the config file (with its position) or an environment
/// variable. <see cref="Shown"/> is the value as the user wrote it, for messages ("many" with quotes, 2.5).
/// </summary>
public sealed record SettingEntry(string Path, SettingEntryKind Kind, string? Value, string Shown, string Source, int? Line = null, int? Column = null, bool FromEnvironment = false);

/// <summary>
/// Checks settings against the registered section schemas before anything is bound: unknown sections and
/// keys are warnings with the closest known name; a value of the wrong kind is an error that says the kind
/// in words and the value given — never a .NET type name.
/// </summary>
public static class ConfigChecker
{
    public static IReadOnlyList<Diagnostic> Check(IEnumerable<SettingEntry> entries, IReadOnlyCollection<ConfigSectionSchema> schemas)
    {
        ArgumentNullException.ThrowIfNull(entries);
        ArgumentNullException.ThrowIfNull(schemas);
        var all = entries.ToList();
        var paths = new HashSet<string>(all.Select(e => e.Path), StringComparer.OrdinalIgnoreCase);
        var found = new List<Diagnostic>();
        var reportedSections = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
        foreach (var entry in all)
        {
            var parts = entry.Path.Split(':');
            var schema = schemas.FirstOrDefault(s => string.Equals(s.Name, parts[0], StringComparison.OrdinalIgnoreCase));
            if (schema is null)
            {
                // One warning per unknown section and source, at its first line (the table header).
                if (reportedSections.Add(entry.Source + "\n" + parts[0]))
                {
                    var near = KeySuggester.Nearest(parts[0], schemas.Select(s => s.Name));
                    found.Add(Warn(entry, $"[{parts[0]}]", $"unknown section{(near is null ? "" : $"; did you mean [{near}]?")}"));
                }
                continue;
            }
            if (schema.Shape == SectionShape.Open) continue;
            if (parts.Length == 1)
            {
                if (entry.Kind != SettingEntryKind.Table) found.Add(Error(entry, $"[{schema.Name}]", $"expected a table ([{schema.Name}] with keys under it), got {Describe(entry)}"));
                continue;
            }

            var keyIndex = 1;
            if (schema.Shape == SectionShape.Map)
            {
                if (parts.Length == 2)
                {
                    var keys = string.Join(" and/or ", schema.Keys.Select(k => $"{k.Key} = \"…\""));
                    if (entry.Kind != SettingEntryKind.Table)
                    {
                        found.Add(Error(entry, $"[{schema.Name}.{parts[1]}]", $"expected a table with {keys}, got {Describe(entry)}"));
                    }
                    else if (!paths.Any(p => p.StartsWith(entry.Path + ":", StringComparison.OrdinalIgnoreCase)))
                    {
                        // An empty table binds to nothing, so the options validator would never see it.
                        found.Add(Error(entry, $"[{schema.Name}.{parts[1]}]", $"set {keys}"));
                    }
                    continue;
                }
                keyIndex = 2;
            }
            var key = parts[keyIndex];
            var display = SettingPath.Display(string.Join(':', parts.Take(keyIndex + 1)));
            var known = schema.Find(key);
            var isItem = parts.Length > keyIndex + 1;
            if (known is null)
            {
                if (!isItem)
                {
                    var near = KeySuggester.Nearest(key, schema.Keys.Select(k => k.Key));
                    var suggestion = near is null ? "" : entry.FromEnvironment
                        ? $"; did you mean {SettingPath.EnvironmentVariable(string.Join(':', parts.Take(keyIndex).Append(near)))}?"
                        : $"; did you mean {near}?";
                    found.Add(Warn(entry, display, $"unknown key{suggestion}"));
                }
                continue;
            }
            if (isItem)
            {
                if (known.Kind == SettingKind.ListOfStrings && (parts.Length > keyIndex + 2 || entry.Kind != SettingEntryKind.Value))
                {
                    found.Add(Error(entry, display, $"expected a list of strings, got an item that is {Describe(entry)}"));
                }
                continue;
            }
            if (KindProblem(known, entry) is { } problem) found.Add(Error(entry, display, problem));
        }
        return found;
    }

    private static string? KindProblem(SettingSchema known, SettingEntry entry)
    {
        var expected = known.KindInWords;
        switch (known.Kind)
        {
            case SettingKind.ListOfStrings when entry.Kind == SettingEntryKind.Value:
                return entry.FromEnvironment
                    ? $"expected a list of strings: set {entry.Source}__0, {entry.Source}__1, … one item each; got {entry.Shown}"
                    : $"expected a list of strings like [\"a\", \"b\"], got {entry.Shown}";
            case SettingKind.ListOfStrings:
                return entry.Kind == SettingEntryKind.List ? null : $"expected {expected}, got {Describe(entry)}";
            case not SettingKind.ListOfStrings when entry.Kind != SettingEntryKind.Value:
                return $"expected {expected}, got {Describe(entry)}";
            case SettingKind.WholeNumber when !int.TryParse(entry.Value, NumberStyles.Integer, CultureInfo.InvariantCulture, out _):
            case SettingKind.Boolean when !bool.TryParse(entry.Value, out _):
                return $"expected {expected}, got {entry.Shown}";
            default:
                return null;
        }
    }

    private static string Describe(SettingEntry entry) => entry.Kind switch
    {
        SettingEntryKind.List => "a list",
        SettingEntryKind.Table => "a table",
        _ => entry.Shown,
    };

    private static Diagnostic Warn(SettingEntry entry, string key, string message) =>
        new(Severity.Warning, entry.Source, entry.Line, entry.Column, entry.FromEnvironment ? "" : key, entry.FromEnvironment ? $"{key}: {message}" : message);

    private static Diagnostic Error(SettingEntry entry, string key, string message) =>
        new(Severity.Error, entry.Source, entry.Line, entry.Column, entry.FromEnvironment ? "" : key, message);
}
