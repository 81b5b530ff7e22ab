using System.Text.Json.Nodes;

namespace HandsBot.Discord.Tests.Fakes;

/// <summary>A REST request the fake received, with its JSON body (payload_json for multipart).</summary>
public sealed record RecordedRequest(string Method, string Path, IReadOnlyDictionary<string, string> Headers, string Body, JsonNode? Json, IReadOnlyList<string> Files, TimeSpan At)
{
    public int Status { get; set; }
    public override string ToString() => $"{Method} {Path} -> {Status}";
}

/// <summary>What the fake gateway saw: connects, identifies, resumes, heartbeats, client closes.</summary>
public sealed record GatewayEvent(string Kind, JsonNode? Data = null, int? Code = null, string? Path = null)
{
    public override string ToString() => Code is null ? Kind : $"{Kind}({Code})";
}

/// <summary>A scripted answer that replaces the fake's normal behaviour for one request.</summary>
public sealed record FakeResponse(int Status, string Body, IReadOnlyDictionary<string, string>? Headers = null);
