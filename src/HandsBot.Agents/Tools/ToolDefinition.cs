using System.Text.Json;

namespace HandsBot.Agents.Tools;

/// <summary>A tool offered to the model: the executable, what it does, its JSON-schema parameters and its timeout.</summary>
internal sealed record ToolDefinition(
    string Name,
    string ExecutablePath,
    string Description,
    JsonElement Parameters,
    TimeSpan Timeout);
