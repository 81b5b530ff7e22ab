using HandsBot.Core.Model;
using HandsBot.Core.Text;

namespace HandsBot.Core.Manifest.Parsing;

/// <summary>
/// Checks event hands across the hands folder: every hand an <c>after</c> names exists, and no chain leads
/// back to where it started (a → b → a would run forever). Each hand on a loop gets the error at its own
/// <c>after</c> line, so every file involved says what to change.
/// </summary>
internal static class ChainCheck
{
    public static List<HandDefinition> AddChainProblems(IReadOnlyList<HandLoader.LoadedHand> loaded)
    {
        var byName = new Dictionary<string, HandDefinition>(StringComparer.Ordinal);
        foreach (var item in loaded) byName.TryAdd(item.Hand.Name, item.Hand);

        var result = new List<HandDefinition>(loaded.Count);
        foreach (var item in loaded)
        {
            if (item.Hand.Manifest?.Event is not { } spec)
            {
                result.Add(item.Hand);
                continue;
            }
            var problems = new List<Diagnostic>();
            foreach (var parent in spec.After)
            {
                if (!byName.TryGetValue(parent, out var parentHand))
                {
                    var near = NameSuggester.Suggest(parent, byName.Keys);
                    var hint = near.Count > 0 ? $" (did you mean '{near[0]}'?)" : "";
                    problems.Add(At(item, Severity.Error, $"no hand named '{parent}'{hint}"));
                }
                else if (spec.OutputPointer is not null && parentHand.Manifest is { } pm && pm.Output.Format != OutputFormat.Json)
                {
                    problems.Add(At(item, Severity.Warning, $"'{parent}' writes {pm.Output.Format.ToString().ToLowerInvariant()} output, so output_pointer never matches its runs (it needs [output] format = \"json\")"));
                }
            }
            if (LoopFrom(item.Hand.Name, byName) is { } loop)
            {
                problems.Add(At(item, Severity.Error, $"the chain loops: {string.Join(" → ", loop)} (each hand runs after the next); an event chain must end"));
            }
            result.Add(problems.Count == 0 ? item.Hand : item.Hand with { Diagnostics = [.. item.Hand.Diagnostics, .. problems] });
        }
        return result;
    }

    /// <summary>The shortest path start → … → start along <c>after</c>, or null when there is none.</summary>
    private static List<string>? LoopFrom(string start, Dictionary<string, HandDefinition> byName)
    {
        var previous = new Dictionary<string, string>(StringComparer.Ordinal);
        var queue = new Queue<string>();
        queue.Enqueue(start);
        while (queue.Count > 0)
        {
            var current = queue.Dequeue();
            foreach (var parent in Parents(current, byName))
            {
                if (parent == start)
                {
                    var chain = new List<string>();
                    for (var at = current; at != start; at = previous[at]) chain.Add(at);
                    chain.Reverse();
                    return [start, .. chain, start];
                }
                if (previous.ContainsKey(parent)) continue;
                previous[parent] = current;
                queue.Enqueue(parent);
            }
        }
        return null;
    }

    private static IEnumerable<string> Parents(string hand, Dictionary<string, HandDefinition> byName) =>
        byName.TryGetValue(hand, out var h) && h.Manifest?.Event is { } spec ? spec.After : [];

    private static Diagnostic At(HandLoader.LoadedHand item, Severity severity, string message) =>
        new(severity, item.DisplayManifestPath, item.AfterAt.Line, item.AfterAt.Column, "trigger.after", message);
}
