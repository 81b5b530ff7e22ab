using System.Text.Json;
using System.Text.Json.Serialization;
using HandsBot.Agents.Llm;

namespace HandsBot.Agents.Conversation;

/// <summary>
/// Everything needed to continue a run in another process: the whole conversation (system prompt
/// first), the tool calls of the last model turn not yet answered (the first one is the gated call
/// when a run waits for approval) and the number of model turns used so far.
/// </summary>
internal sealed class AgentState
{
    public const int CurrentVersion = 1;

    [JsonPropertyName("version")] public int Version { get; init; } = CurrentVersion;
    [JsonPropertyName("iterations")] public int Iterations { get; set; }
    [JsonPropertyName("messages")] public List<ChatMessage> Messages { get; init; } = [];
    [JsonPropertyName("pending")] public List<ToolCall> Pending { get; init; } = [];

    public string SystemPrompt => Messages.FirstOrDefault(m => m.Role == ChatMessage.System)?.Content ?? "";

    public string Serialize() => JsonSerializer.Serialize(this, LlmJsonContext.Default.AgentState);

    /// <summary>Reads a saved state; null with a reason when it is not one this version can continue.</summary>
    public static AgentState? TryDeserialize(string json, out string? error)
    {
        AgentState? state;
        try
        {
            state = JsonSerializer.Deserialize(json, LlmJsonContext.Default.AgentState);
        }
        catch (JsonException e)
        {
            error = $"the saved conversation is not valid JSON ({e.Message})";
            return null;
        }
        error = state switch
        {
            null => "the saved conversation is empty",
            { Version: not CurrentVersion } => $"the saved conversation has version {state.Version}, expected {CurrentVersion}",
            { Messages.Count: 0 } => "the saved conversation has no messages",
            _ => null,
        };
        return error is null ? state : null;
    }
}
