using System.Text.Json;
using System.Text.Json.Serialization;

namespace HandsBot.Discord.Rest;

// Wire shapes of the Discord API v10 that HandsBot sends or reads. Only the fields we use.

/// <summary>Who may be pinged by a message; HandsBot always sends an empty parse list (no pings).</summary>
public sealed record AllowedMentions([property: JsonPropertyName("parse")] IReadOnlyList<string> Parse)
{
    public static AllowedMentions None { get; } = new([]);
}

/// <summary>A message component: an action row (type 1) holding buttons (type 2).</summary>
public sealed record Component
{
    [JsonPropertyName("type")] public int Type { get; init; }
    [JsonPropertyName("style")] public int? Style { get; init; }
    [JsonPropertyName("label")] public string? Label { get; init; }
    [JsonPropertyName("custom_id")] public string? CustomId { get; init; }
    [JsonPropertyName("components")] public IReadOnlyList<Component>? Components { get; init; }
}

/// <summary>Body of POST /channels/{id}/messages and PATCH .../messages/{id}.</summary>
public sealed record MessagePayload
{
    [JsonPropertyName("content")] public string? Content { get; init; }
    [JsonPropertyName("nonce")] public string? Nonce { get; init; }
    [JsonPropertyName("enforce_nonce")] public bool? EnforceNonce { get; init; }
    [JsonPropertyName("allowed_mentions")] public AllowedMentions AllowedMentions { get; init; } = AllowedMentions.None;
    [JsonPropertyName("components")] public IReadOnlyList<Component>? Components { get; init; }
    [JsonPropertyName("flags")] public int? Flags { get; init; }
    [JsonPropertyName("attachments")] public IReadOnlyList<AttachmentRef>? Attachments { get; init; }
}

/// <summary>Declares the uploaded file files[0] in payload_json.</summary>
public sealed record AttachmentRef(
    [property: JsonPropertyName("id")] int Id,
    [property: JsonPropertyName("filename")] string FileName);

public sealed record MessageResponse([property: JsonPropertyName("id")] string Id);

public sealed record GatewayBotResponse([property: JsonPropertyName("url")] string Url);

/// <summary>Discord's JSON error body ({"code": 50001, "message": "Missing Access"}), also the 429 body.</summary>
public sealed record ErrorResponse
{
    [JsonPropertyName("code")] public int Code { get; init; }
    [JsonPropertyName("message")] public string? Message { get; init; }
    [JsonPropertyName("retry_after")] public double? RetryAfter { get; init; }
    [JsonPropertyName("global")] public bool? Global { get; init; }
}

/// <summary>An application command as registered by bulk overwrite.</summary>
public sealed record ApplicationCommand
{
    [JsonPropertyName("name")] public required string Name { get; init; }
    [JsonPropertyName("description")] public required string Description { get; init; }
    [JsonPropertyName("type")] public int Type { get; init; } = 1;
    [JsonPropertyName("options")] public IReadOnlyList<CommandOption>? Options { get; init; }
    [JsonPropertyName("default_member_permissions")] public string? DefaultMemberPermissions { get; init; }
    [JsonPropertyName("contexts")] public IReadOnlyList<int>? Contexts { get; init; }
    [JsonPropertyName("integration_types")] public IReadOnlyList<int>? IntegrationTypes { get; init; }
}

public sealed record CommandOption
{
    [JsonPropertyName("type")] public int Type { get; init; } = 3;
    [JsonPropertyName("name")] public required string Name { get; init; }
    [JsonPropertyName("description")] public required string Description { get; init; }
    [JsonPropertyName("required")] public bool Required { get; init; }
    [JsonPropertyName("autocomplete")] public bool Autocomplete { get; init; }
}

/// <summary>An interaction as received over the gateway (INTERACTION_CREATE) or the HTTP endpoint.</summary>
public sealed record Interaction
{
    [JsonPropertyName("id")] public string Id { get; init; } = "";
    [JsonPropertyName("application_id")] public string ApplicationId { get; init; } = "";
    [JsonPropertyName("type")] public int Type { get; init; }
    [JsonPropertyName("token")] public string Token { get; init; } = "";
    [JsonPropertyName("guild_id")] public string? GuildId { get; init; }
    [JsonPropertyName("channel_id")] public string? ChannelId { get; init; }
    [JsonPropertyName("member")] public GuildMember? Member { get; init; }
    [JsonPropertyName("user")] public DiscordUser? User { get; init; }
    [JsonPropertyName("data")] public InteractionData? Data { get; init; }
    [JsonPropertyName("message")] public MessageResponse? Message { get; init; }
}

public sealed record GuildMember
{
    [JsonPropertyName("user")] public DiscordUser? User { get; init; }
    [JsonPropertyName("roles")] public IReadOnlyList<string>? Roles { get; init; }
    [JsonPropertyName("nick")] public string? Nick { get; init; }
}

public sealed record DiscordUser
{
    [JsonPropertyName("id")] public string Id { get; init; } = "";
    [JsonPropertyName("username")] public string? Username { get; init; }
    [JsonPropertyName("global_name")] public string? GlobalName { get; init; }
}

public sealed record InteractionData
{
    [JsonPropertyName("name")] public string? Name { get; init; }
    [JsonPropertyName("custom_id")] public string? CustomId { get; init; }
    [JsonPropertyName("options")] public IReadOnlyList<InteractionOption>? Options { get; init; }
}

public sealed record InteractionOption
{
    [JsonPropertyName("name")] public string Name { get; init; } = "";
    [JsonPropertyName("type")] public int Type { get; init; }
    [JsonPropertyName("value")] public JsonElement? Value { get; init; }
    [JsonPropertyName("focused")] public bool? Focused { get; init; }
}

/// <summary>Body of POST /interactions/{id}/{token}/callback (and of an HTTP endpoint response).</summary>
public sealed record InteractionResponse
{
    [JsonPropertyName("type")] public int Type { get; init; }
    [JsonPropertyName("data")] public InteractionCallbackData? Data { get; init; }
}

public sealed record InteractionCallbackData
{
    [JsonPropertyName("content")] public string? Content { get; init; }
    [JsonPropertyName("flags")] public int? Flags { get; init; }
    [JsonPropertyName("components")] public IReadOnlyList<Component>? Components { get; init; }
    [JsonPropertyName("allowed_mentions")] public AllowedMentions? AllowedMentions { get; init; }
    [JsonPropertyName("choices")] public IReadOnlyList<AutocompleteChoice>? Choices { get; init; }
}

public sealed record AutocompleteChoice(
    [property: JsonPropertyName("name")] string Name,
    [property: JsonPropertyName("value")] string Value);

[JsonSourceGenerationOptions(DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull)]
[JsonSerializable(typeof(MessagePayload))]
[JsonSerializable(typeof(MessageResponse))]
[JsonSerializable(typeof(GatewayBotResponse))]
[JsonSerializable(typeof(ErrorResponse))]
[JsonSerializable(typeof(List<ApplicationCommand>))]
[JsonSerializable(typeof(Interaction))]
[JsonSerializable(typeof(InteractionResponse))]
[JsonSerializable(typeof(InteractionCallbackData))]
public sealed partial class DiscordJsonContext : JsonSerializerContext;
