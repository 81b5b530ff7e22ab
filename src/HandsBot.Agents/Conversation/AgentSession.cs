using HandsBot.Agents.Llm;
using HandsBot.Agents.Tools;
using HandsBot.Core.Model;

namespace HandsBot.Agents.Conversation;

/// <summary>What one run (or resumption) of an agent hand works with: endpoint, model, limits and tools.</summary>
internal sealed class AgentSession(
    HandManifest manifest,
    LlmEndpoint endpoint,
    string model,
    AgentSpec spec,
    IReadOnlyList<ToolDefinition> tools,
    ToolRunContext toolContext)
{
    public string Hand => manifest.Name;
    public LlmEndpoint Endpoint => endpoint;
    public string Model => model;
    public AgentSpec Spec => spec;
    public IReadOnlyList<ToolDefinition> Tools => tools;
    public ToolRunContext ToolContext => toolContext;

    /// <summary>The tools as sent to the model; null when there are none (some servers reject an empty list).</summary>
    public IReadOnlyList<ToolSpec>? ToolSpecs { get; } = tools.Count == 0
        ? null
        : [.. tools.Select(t => new ToolSpec { Function = new FunctionSpec { Name = t.Name, Description = t.Description, Parameters = t.Parameters } })];

    public ToolDefinition? FindTool(string name) => tools.FirstOrDefault(t => string.Equals(t.Name, name, StringComparison.Ordinal));

    /// <summary>The gate holding calls to this tool (by key, then action). Broadcast gates hold output, not tools.</summary>
    public ApprovalGate? GateFor(string tool) =>
        manifest.Gates.FirstOrDefault(g => !g.IsBroadcast && string.Equals(g.Key, tool, StringComparison.Ordinal))
        ?? manifest.Gates.FirstOrDefault(g => !g.IsBroadcast && string.Equals(g.Action, tool, StringComparison.Ordinal));
}
