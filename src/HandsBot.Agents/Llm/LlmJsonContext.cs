using System.Text.Json.Serialization;
using HandsBot.Agents.Conversation;

namespace HandsBot.Agents.Llm;

[JsonSourceGenerationOptions(DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull)]
[JsonSerializable(typeof(ChatRequest))]
[JsonSerializable(typeof(ChatResponse))]
[JsonSerializable(typeof(AgentState))]
internal sealed partial class LlmJsonContext : JsonSerializerContext;
