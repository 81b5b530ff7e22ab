using System.Text.RegularExpressions;

namespace HandsBot.Agents.Conversation;

/// <summary>The part of a model's final message that is the hand's output.</summary>
internal static partial class AnswerText
{
    /// <summary>
    /// Trims the text and drops a leading &lt;think&gt;…&lt;/think&gt; block, which reasoning models
    /// served by Ollama or llama.cpp may put in the content; users should get the answer only.
    /// </summary>
    public static string WithoutReasoning(string? content) =>
        content is null ? "" : LeadingThink().Replace(content, "").Trim();

    [GeneratedRegex(@"^\s*<think>.*?</think>", RegexOptions.Singleline)]
    private static partial Regex LeadingThink();
}
