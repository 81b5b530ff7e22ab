using System.Text.Json;
using System.Text.Json.Serialization;

namespace HandsBot.Agents.Llm;

// The OpenAI-compatible chat completions wire format (the subset HandsBot uses).
// The same message shape is persisted in the agent state, so keep changes backward compatible.

internal sealed class ChatRequest
{
    [JsonPropertyName("model")] public required string Model { get; init; }
    [JsonPropertyName("messages")] public required IReadOnlyList<ChatMessage> Messages { get; init; }
    [JsonPropertyName("tools")] public IReadOnlyList<ToolSpec>? Tools { get; init; }
    [JsonPropertyName("temperature")] public double Temperature { get; init; }
    [JsonPropertyName("stream")] public bool Stream { get; init; }
}

internal sealed class ChatMessage
{
    public const string System = "system";
    public const string User = "user";
    public const string Assistant = "assistant";
    public const string Tool = "tool";

    [JsonPropertyName("role")] public required string Role { get; init; }
    [JsonPropertyName("content")] public string? Content { get; init; }
    [JsonPropertyName("tool_calls")] public List<ToolCall>? ToolCalls { get; init; }
    [JsonPropertyName("tool_call_id")] public string? ToolCallId { get; init; }
}

internal sealed class ToolCall
{
    [JsonPropertyName("id")] public string? Id { get; set; }
    [JsonPropertyName("type")] public string Type { get; init; } = "function";
    [JsonPropertyName("function")] public required FunctionCall Function { get; init; }
}

internal sealed class FunctionCall
{
    [JsonPropertyName("name")] public required string Name { get; init; }

    /// <summary>JSON text. Some servers send an object instead of a string; both are read as text.</summary>
    [JsonPropertyName("arguments")]
    [JsonConverter(typeof(JsonTextConverter))]
    public string? Arguments { get; init; }
}

internal sealed class ToolSpec
{
    [JsonPropertyName("type")] public string Type { get; init; } = "function";
    [JsonPropertyName("function")] public required FunctionSpec Function { get; init; }
}

internal sealed class FunctionSpec
{
    [JsonPropertyName("name")] public required string Name { get; init; }
    [JsonPropertyName("description")] public required string Description { get; init; }
    [JsonPropertyName("parameters")] public required JsonElement Parameters { get; init; }
}

internal sealed class ChatResponse
{
    [JsonPropertyName("choices")] public List<ChatChoice>? Choices { get; init; }
    /// <summary>OpenAI sends an object with a message; Ollama's native routes send a string.</summary>
    [JsonPropertyName("error")] public JsonElement? Error { get; init; }
}

internal sealed class ChatChoice
{
    [JsonPropertyName("message")] public ChatMessage? Message { get; init; }
    [JsonPropertyName("finish_reason")] public string? FinishReason { get; init; }
}

/// <summary>Reads a JSON string as its value and any other JSON value as its raw text; writes a string.</summary>
internal sealed class JsonTextConverter : JsonConverter<string?>
{
    public override bool HandleNull => true;

    public override string? Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options)
    {
        if (reader.TokenType == JsonTokenType.Null)
            return null;
        if (reader.TokenType == JsonTokenType.String)
            return reader.GetString();
        using var doc = JsonDocument.ParseValue(ref reader);
        return doc.RootElement.GetRawText();
    }

    public override void Write(Utf8JsonWriter writer, string? value, JsonSerializerOptions options)
    {
        if (value is null)
            writer.WriteNullValue();
        else
            writer.WriteStringValue(value);
    }
}
