using System.Text.Json.Serialization;

namespace HandsBot.Webhooks.Endpoint;

/// <summary>The 202 body: the run the call created (or found, for a repeated delivery) and what became of it.</summary>
internal sealed record Accepted([property: JsonPropertyName("run_id")] string RunId, [property: JsonPropertyName("status")] string Status);

/// <summary>A refusal's body: a stable code for programs and a sentence for people (never a secret, never a stack trace).</summary>
internal sealed record Refusal([property: JsonPropertyName("error")] string Error, [property: JsonPropertyName("message")] string Message);

[JsonSerializable(typeof(Accepted))]
[JsonSerializable(typeof(Refusal))]
internal sealed partial class HookJson : JsonSerializerContext;
