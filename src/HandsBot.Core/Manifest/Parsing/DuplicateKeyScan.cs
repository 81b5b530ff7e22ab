namespace HandsBot.Core.Manifest.Parsing;

/// <summary>
/// A quick line scan for a key or [table] written twice. Tomlyn's model reader keeps the last value silently,
/// and its validating syntax pass costs as much as the parse itself, so that pass runs only when this scan
/// (or the parse) finds something suspicious. False alarms only cost time; the scan errs towards them.
/// </summary>
internal static class DuplicateKeyScan
{
    public static bool MayHaveDuplicates(string text)
    {
        // Keys seen under each [table] header ("" for the top level), to catch both repeats and a key that a later header redefines.
        var tables = new Dictionary<string, HashSet<string>>(StringComparer.Ordinal) { [""] = new(StringComparer.Ordinal) };
        var keys = tables[""];
        var current = "";
        var inMultiline = false;
        foreach (var rawLine in text.AsSpan().EnumerateLines())
        {
            var line = rawLine.Trim();
            // Multi-line strings can hold anything: skip their lines.
            var quotes = Count(line, "\"\"\"") + Count(line, "'''");
            if (inMultiline)
            {
                if (quotes % 2 == 1) inMultiline = false;
                continue;
            }
            if (quotes % 2 == 1) inMultiline = true;
            if (line.IsEmpty || line[0] == '#') continue;
            if (line.StartsWith("[["))
            {
                // Each [[array]] item is a fresh table; its inner keys are not tracked across items.
                current = "\0array";
                keys = new HashSet<string>(StringComparer.Ordinal);
                continue;
            }
            if (line[0] == '[')
            {
                var end = line.IndexOf(']');
                current = Normalize(end > 0 ? line[1..end] : line[1..]);
                if (tables.ContainsKey(current)) return true;
                var dot = current.LastIndexOf('.');
                var parent = dot < 0 ? "" : current[..dot];
                if (tables.TryGetValue(parent, out var parentKeys) && parentKeys.Contains(current[(dot + 1)..])) return true;
                keys = tables[current] = new HashSet<string>(StringComparer.Ordinal);
                continue;
            }
            var equals = line.IndexOf('=');
            if (equals <= 0) continue;
            var key = Normalize(line[..equals]);
            // Dotted keys and inline tables can clash in ways a line scan cannot follow: let the full check decide.
            if (key.Contains('.', StringComparison.Ordinal) || InlineTableMayRepeatKeys(line[(equals + 1)..])) return true;
            if (!keys.Add(key)) return true;
            if (tables.ContainsKey(current.Length == 0 ? key : current + "." + key)) return true;
        }
        return false;
    }

    /// <summary>True when a value holds an inline table that repeats a key, or one too complex to judge (nested, dotted).</summary>
    private static bool InlineTableMayRepeatKeys(ReadOnlySpan<char> value)
    {
        var open = value.IndexOf('{');
        if (open < 0) return false;
        var inner = value[(open + 1)..];
        var close = inner.IndexOf('}');
        if (close < 0 || inner[..close].Contains('{')) return true;
        inner = inner[..close];
        var keys = new HashSet<string>(StringComparer.Ordinal);
        foreach (var range in inner.Split(','))
        {
            var part = inner[range];
            var equals = part.IndexOf('=');
            if (equals < 0) continue;
            var key = Normalize(part[..equals]);
            if (key.Contains('.', StringComparison.Ordinal) || !keys.Add(key)) return true;
        }
        return false;
    }

    private static string Normalize(ReadOnlySpan<char> key)
    {
        Span<char> buffer = key.Length <= 256 ? stackalloc char[key.Length] : new char[key.Length];
        var n = 0;
        foreach (var c in key)
        {
            // Quotes go too: "name" and name are the same key. Merging distinct keys only causes a false alarm.
            if (c is not ' ' and not '\t' and not '"' and not '\'') buffer[n++] = c;
        }
        return new string(buffer[..n]);
    }

    private static int Count(ReadOnlySpan<char> line, string token)
    {
        var count = 0;
        var index = line.IndexOf(token, StringComparison.Ordinal);
        while (index >= 0)
        {
            count++;
            line = line[(index + token.Length)..];
            index = line.IndexOf(token, StringComparison.Ordinal);
        }
        return count;
    }
}
