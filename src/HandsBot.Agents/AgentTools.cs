using HandsBot.Agents.Tools;
using HandsBot.Core.Model;

namespace HandsBot.Agents;

/// <summary>Checks an agent hand's tools without running it (for a validate command or the hand loader).</summary>
public static class AgentTools
{
    /// <summary>
    /// Every problem with the tools the hand declares: a required tool missing from <c>tools/</c> and
    /// <paramref name="sharedToolsDir"/>, a found tool without its sidecar, or a sidecar that is not
    /// valid (TOML syntax, missing description, bad timeout or parameters). Empty when all is well.
    /// </summary>
    public static IReadOnlyList<Diagnostic> Check(HandDefinition hand, string? sharedToolsDir)
    {
        ArgumentNullException.ThrowIfNull(hand);
        return hand.Manifest is null ? [] : ToolCatalog.Check(hand, string.IsNullOrWhiteSpace(sharedToolsDir) ? null : sharedToolsDir);
    }
}
