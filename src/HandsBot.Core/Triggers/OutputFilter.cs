using System.Text.Json;
using System.Text.RegularExpressions;
using HandsBot.Core.Json;
using HandsBot.Core.Model;

namespace HandsBot.Core.Triggers;

/// <summary>An event hand's filter on its parent's output: a regular expression, and/or a JSON pointer that must hold a value.</summary>
public static class OutputFilter
{
    // The pattern is the hand author's own; a runaway one must still not hold up the run's finish.
    private static readonly TimeSpan MatchTimeout = TimeSpan.FromSeconds(1);

    /// <summary>True when <paramref name="output"/> passes every filter <paramref name="spec"/> sets (no filter: always).</summary>
    public static bool Passes(EventTriggerSpec spec, string? output)
    {
        ArgumentNullException.ThrowIfNull(spec);
        var text = output ?? "";
        if (spec.OutputMatch is { } pattern)
        {
            try
            {
                if (!Regex.IsMatch(text, pattern, RegexOptions.CultureInvariant, MatchTimeout)) return false;
            }
            catch (RegexMatchTimeoutException)
            {
                return false;
            }
        }
        if (spec.OutputPointer is { } pointer && spec.OutputEqualsJson is { } expected)
        {
            try
            {
                using var doc = JsonDocument.Parse(text);
                using var want = JsonDocument.Parse(expected);
                if (!JsonPointer.TryResolve(doc.RootElement, pointer, out var found)) return false;
                if (!JsonElement.DeepEquals(found, want.RootElement)) return false;
            }
            catch (JsonException)
            {
                return false;
            }
        }
        return true;
    }
}
