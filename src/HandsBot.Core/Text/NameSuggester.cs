namespace HandsBot.Core.Text;

/// <summary>Finds the names a user probably meant: prefix and substring matches, then small edit distances.</summary>
internal static class NameSuggester
{
    public static IReadOnlyList<string> Suggest(string typed, IEnumerable<string> names, int max = 3)
    {
        var t = typed.ToLowerInvariant();
        var maxDistance = Math.Max(1, t.Length / 3);
        return [.. names
            .Select(n => (Name: n, Score: Score(t, n.ToLowerInvariant(), maxDistance)))
            .Where(x => x.Score < int.MaxValue)
            .OrderBy(x => x.Score).ThenBy(x => x.Name, StringComparer.OrdinalIgnoreCase)
            .Take(max)
            .Select(x => x.Name)];
    }

    // Lower is better; int.MaxValue means "not similar".
    private static int Score(string typed, string name, int maxDistance)
    {
        if (name.StartsWith(typed, StringComparison.Ordinal) || typed.StartsWith(name, StringComparison.Ordinal)) return 0;
        var distance = Distance(typed, name);
        if (distance <= maxDistance) return distance;
        return name.Contains(typed, StringComparison.Ordinal) ? maxDistance + 1 : int.MaxValue;
    }

    /// <summary>Levenshtein distance.</summary>
    public static int Distance(string a, string b)
    {
        var previous = new int[b.Length + 1];
        var current = new int[b.Length + 1];
        for (var j = 0; j <= b.Length; j++) previous[j] = j;
        for (var i = 1; i <= a.Length; i++)
        {
            current[0] = i;
            for (var j = 1; j <= b.Length; j++)
            {
                var cost = a[i - 1] == b[j - 1] ? 0 : 1;
                current[j] = Math.Min(Math.Min(current[j - 1] + 1, previous[j] + 1), previous[j - 1] + cost);
            }
            (previous, current) = (current, previous);
        }
        return previous[b.Length];
    }
}
