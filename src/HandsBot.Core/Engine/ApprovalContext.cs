using System.Text.Json;
using System.Text.Json.Nodes;
using HandsBot.Core.Delivery;
using HandsBot.Core.Model;

namespace HandsBot.Core.Engine;

/// <summary>What an approval holds (stored as ApprovalRecord.ContextJson).</summary>
public sealed record ApprovalContext
{
    public const string BroadcastKind = "broadcast";
    public const string ActionKind = "action";
    public const string AgentKind = "agent";

    /// <summary>broadcast (held output), action (a run's request) or agent (a gated tool call).</summary>
    public required string Kind { get; init; }
    /// <summary>Broadcast: the held output.</summary>
    public string? Output { get; init; }
    public OutputFormat Format { get; init; } = OutputFormat.Markdown;
    /// <summary>Action: the request's data; agent: the model's arguments (JSON).</summary>
    public string? DataJson { get; init; }
    /// <summary>Where the run's result should also go (the chat a /run came from).</summary>
    public string? ReplyTo { get; init; }

    public string ToJson()
    {
        var node = new JsonObject
        {
            ["kind"] = Kind,
            ["format"] = Format.ToString().ToLowerInvariant(),
        };
        if (Output is not null) node["output"] = Output;
        if (DataJson is not null) node["data"] = JsonNode.Parse(DataJson);
        if (ReplyTo is not null) node["reply_to"] = ReplyTo;
        return node.ToJsonString();
    }

    public static ApprovalContext FromJson(string json)
    {
        var node = JsonNode.Parse(json) as JsonObject ?? [];
        return new ApprovalContext
        {
            Kind = node["kind"]?.GetValue<string>() ?? ActionKind,
            Output = node["output"]?.GetValue<string>(),
            Format = Enum.TryParse<OutputFormat>(node["format"]?.GetValue<string>(), ignoreCase: true, out var f) ? f : OutputFormat.Markdown,
            DataJson = node["data"]?.ToJsonString(),
            ReplyTo = node["reply_to"]?.GetValue<string>(),
        };
    }

    public static string? FormatTarget(ChannelTarget? target) => target?.ToString();

    public static ChannelTarget? ParseTarget(string? value)
    {
        if (string.IsNullOrEmpty(value)) return null;
        var parts = value.Split(':', 3);
        return parts.Length switch
        {
            2 => new ChannelTarget(parts[0], parts[1]),
            3 => new ChannelTarget(parts[0], parts[1], parts[2]),
            _ => null,
        };
    }
}
