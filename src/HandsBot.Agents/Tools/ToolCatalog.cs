using System.Text.RegularExpressions;
using HandsBot.Core.Model;

namespace HandsBot.Agents.Tools;

/// <summary>
/// Finds the tools an agent hand may call: each name in [tools] required and optional, looked up as an
/// executable in the hand's <c>tools/</c> folder, then in the shared tools folder, each with its sidecar
/// <c>&lt;name&gt;.toml</c> beside it.
/// </summary>
internal static partial class ToolCatalog
{
    /// <summary>The tools to offer, in [tools] order; throws <see cref="AgentSetupException"/> on the first problem.</summary>
    public static IReadOnlyList<ToolDefinition> Resolve(HandDefinition hand, string? sharedToolsDir)
    {
        var tools = new List<ToolDefinition>();
        foreach (var (name, required) in Declared(hand))
        {
            if (ResolveOne(hand, name, required, sharedToolsDir) is { } tool)
                tools.Add(tool);
        }
        return tools;
    }

    /// <summary>Every problem with the hand's agent tools (not just the first), for validation before any run.</summary>
    public static IReadOnlyList<Diagnostic> Check(HandDefinition hand, string? sharedToolsDir)
    {
        var problems = new List<Diagnostic>();
        foreach (var (name, required) in Declared(hand))
        {
            try
            {
                ResolveOne(hand, name, required, sharedToolsDir);
            }
            catch (AgentSetupException e)
            {
                problems.Add(new Diagnostic(Severity.Error, e.File ?? hand.ManifestPath, null, null, "tools." + name, e.Problem ?? e.Message));
            }
        }
        return problems;
    }

    private static IEnumerable<(string Name, bool Required)> Declared(HandDefinition hand)
    {
        var manifest = hand.Manifest ?? throw new AgentSetupException($"{hand.ManifestPath}: the manifest could not be read");
        var seen = new HashSet<string>(StringComparer.Ordinal);
        foreach (var (name, required) in manifest.RequiredTools.Select(n => (n, true)).Concat(manifest.OptionalTools.Select(n => (n, false))))
        {
            if (seen.Add(name))
                yield return (name, required);
        }
    }

    private static ToolDefinition? ResolveOne(HandDefinition hand, string name, bool required, string? sharedToolsDir)
    {
        if (!ValidName().IsMatch(name))
            throw new AgentSetupException($"tool '{name}': names may use only letters, digits, '_' and '-' (at most 64) so a model can call them");

        var executable = Find(name, hand.Directory, sharedToolsDir);
        if (executable is null)
        {
            if (!required)
                return null;
            var shared = string.IsNullOrEmpty(sharedToolsDir) ? "" : $" or {sharedToolsDir}";
            throw new AgentSetupException($"required tool '{name}' not found: expected an executable {Path.Combine(hand.Directory, "tools", name)}{shared}");
        }

        var sidecar = executable + ".toml";
        if (!File.Exists(sidecar))
            throw new AgentSetupException($"tool '{name}' has no sidecar {sidecar} (description and [parameters] for the model)");
        string text;
        try
        {
            text = File.ReadAllText(sidecar);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new AgentSetupException(sidecar, $"cannot read the sidecar: {e.Message}", e);
        }
        return ToolSidecar.Parse(name, executable, text, sidecar);
    }

    private static string? Find(string name, string handDirectory, string? sharedToolsDir)
    {
        var own = Path.Combine(handDirectory, "tools", name);
        if (File.Exists(own))
            return Path.GetFullPath(own);
        if (!string.IsNullOrEmpty(sharedToolsDir))
        {
            var shared = Path.Combine(sharedToolsDir, name);
            if (File.Exists(shared))
                return Path.GetFullPath(shared);
        }
        return null;
    }

    [GeneratedRegex("^[A-Za-z0-9_-]{1,64}$")]
    private static partial Regex ValidName();
}
