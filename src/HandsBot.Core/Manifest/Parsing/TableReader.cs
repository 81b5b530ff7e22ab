using Tomlyn;
using Tomlyn.Model;

namespace HandsBot.Core.Manifest.Parsing;

/// <summary>
/// Reads typed values from one TOML table, reporting wrong types and bad values with the key's path and position.
/// Every getter returns null when the key is absent or its value is unusable (after reporting why).
/// </summary>
internal sealed class TableReader(TomlDocument document, DiagnosticSink sink, TomlTable table, string path, SourceLocation where)
{
    public TomlDocument Document { get; } = document;
    public DiagnosticSink Sink { get; } = sink;
    public TomlTable Table { get; } = table;
    /// <summary>Prefix for keys in diagnostics ("" for [hand], "run" for [run], ...).</summary>
    public string Path { get; } = path;
    /// <summary>Where the table starts (its header), used for problems with no better position.</summary>
    public SourceLocation Where { get; } = where;

    public bool Has(string key) => Table.ContainsKey(key);

    public string KeyPath(string key) => string.IsNullOrEmpty(Path) ? key : Path + "." + key;

    public SourceLocation At(string key) => Table.ContainsKey(key) ? Document.ValueAt(Table, key) : Where;

    public void Error(string key, string message) => Sink.Error(At(key), KeyPath(key), message);

    public void Warning(string key, string message) => Sink.Warning(At(key), KeyPath(key), message);

    public object? Raw(string key) => Table.TryGetValue(key, out var value) ? value : null;

    public string? String(string key)
    {
        var value = Raw(key);
        if (value is null or string) return (string?)value;
        TypeError(key, "a string", value);
        return null;
    }

    public bool? Bool(string key)
    {
        var value = Raw(key);
        if (value is null) return null;
        if (value is bool b) return b;
        TypeError(key, "true or false", value);
        return null;
    }

    public long? Integer(string key)
    {
        var value = Raw(key);
        if (value is null) return null;
        if (value is long l) return l;
        TypeError(key, "an integer", value);
        return null;
    }

    public double? Number(string key)
    {
        var value = Raw(key);
        return value switch
        {
            null => null,
            long l => l,
            double d when double.IsFinite(d) => d,
            double => Fail<double?>(key, "must be a finite number"),
            _ => TypeErrorNull<double?>(key, "a number", value),
        };
    }

    /// <summary>A duration in whole seconds; negative values (and 0 unless <paramref name="allowZero"/>) are errors.</summary>
    public TimeSpan? Seconds(string key, bool allowZero)
    {
        var value = Raw(key);
        if (value is null) return null;
        if (value is not long seconds)
        {
            TypeError(key, "a whole number of seconds", value);
            return null;
        }
        if (seconds < 0)
        {
            Error(key, $"must not be negative (got {seconds})");
            return null;
        }
        if (seconds == 0 && !allowZero)
        {
            Error(key, "must be greater than 0 seconds");
            return null;
        }
        // Past ~100 years a TimeSpan would overflow in schedule arithmetic; no hand needs that.
        if (seconds > 3_153_600_000)
        {
            Error(key, $"is too large ({seconds} seconds)");
            return null;
        }
        return TimeSpan.FromSeconds(seconds);
    }

    /// <summary>A list of strings; a single string is accepted as a one-item list when <paramref name="allowSingle"/>.</summary>
    public IReadOnlyList<string>? StringList(string key, bool allowSingle)
    {
        var value = Raw(key);
        switch (value)
        {
            case null:
                return null;
            case string s when allowSingle:
                return [s];
            case TomlArray array:
                var items = new List<string>(array.Count);
                for (var i = 0; i < array.Count; i++)
                {
                    if (array[i] is string item)
                    {
                        items.Add(item);
                    }
                    else
                    {
                        Error(key, $"item {i + 1} must be a string, got {Describe(array[i])}");
                        return null;
                    }
                }
                return items;
            default:
                TypeError(key, allowSingle ? "a string or an array of strings" : "an array of strings", value);
                return null;
        }
    }

    /// <summary>A sub-table; reports a type error for any other value.</summary>
    public TableReader? Child(string key)
    {
        var value = Raw(key);
        if (value is null) return null;
        if (value is TomlTable child) return new TableReader(Document, Sink, child, KeyPath(key), Document.KeyAt(Table, key));
        TypeError(key, "a table", value);
        return null;
    }

    /// <summary>One of <paramref name="allowed"/> (case-insensitive), returned in its canonical lower-case spelling.</summary>
    public string? Choice(string key, params string[] allowed)
    {
        var value = String(key);
        if (value is null) return null;
        var match = allowed.FirstOrDefault(a => string.Equals(a, value.Trim(), StringComparison.OrdinalIgnoreCase));
        if (match is null)
        {
            Error(key, $"unknown value '{value}', expected {JoinOr(allowed)}");
        }
        return match;
    }

    /// <summary>Warns about keys not in <paramref name="known"/>, suggesting the nearest known key.</summary>
    public void WarnUnknownKeys(IReadOnlyCollection<string> known)
    {
        foreach (var key in Table.Keys)
        {
            if (known.Contains(key)) continue;
            var suggestion = KeySuggester.Nearest(key, known);
            var hint = suggestion is null ? "" : $" (did you mean '{suggestion}'?)";
            Sink.Warning(Document.KeyAt(Table, key), KeyPath(key), $"unknown key, ignored{hint}");
        }
    }

    public void TypeError(string key, string expected, object? value) =>
        Error(key, $"expected {expected}, got {Describe(value)}");

    private T? TypeErrorNull<T>(string key, string expected, object? value)
    {
        TypeError(key, expected, value);
        return default;
    }

    private T? Fail<T>(string key, string message)
    {
        Error(key, message);
        return default;
    }

    public static string Describe(object? value) => value switch
    {
        null => "nothing",
        string s => $"a string (\"{Shorten(s)}\")",
        long l => $"an integer ({l})",
        double d => $"a number ({d.ToString(System.Globalization.CultureInfo.InvariantCulture)})",
        bool b => $"a boolean ({(b ? "true" : "false")})",
        TomlDateTime dt => $"a date/time ({dt})",
        TomlArray => "an array",
        TomlTableArray => "an array of tables",
        TomlTable => "a table",
        _ => "an unsupported value",
    };

    public static string JoinOr(IReadOnlyList<string> items) => items.Count switch
    {
        0 => "",
        1 => $"'{items[0]}'",
        _ => string.Join(", ", items.Take(items.Count - 1).Select(i => $"'{i}'")) + $" or '{items[^1]}'",
    };

    private static string Shorten(string s) => s.Length <= 40 ? s : s[..37] + "...";
}
