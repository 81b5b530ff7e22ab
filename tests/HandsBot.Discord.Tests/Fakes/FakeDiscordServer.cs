using System.Collections.Concurrent;
using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.WebSockets;
using System.Text;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace HandsBot.Discord.Tests.Fakes;

/// <summary>
/// An in-process Discord on Kestrel (127.0.0.1, port 0): REST with rate-limit headers and 429s,
/// interaction callbacks with the 3-second rule and 40060 on double acknowledgement, and a
/// WebSocket gateway with Hello/Identify/READY, heartbeat ACKs, resume with replay, op 7/9 and
/// close codes. It checks every body against Discord's documented limits (see <see cref="Violations"/>).
/// </summary>
public sealed partial class FakeDiscordServer : IAsyncDisposable
{
    public const string Token = "test-token";
    public const string ApplicationId = "100000000000000001";
    private readonly WebApplication _app;
    private readonly Stopwatch _clock = Stopwatch.StartNew();
    private readonly ConcurrentDictionary<string, string> _noncesSeen = new();
    private readonly ConcurrentDictionary<string, FakeBucket> _buckets = new();
    private readonly ConcurrentDictionary<string, (string Token, TimeSpan CreatedAt)> _interactions = new();
    private readonly ConcurrentDictionary<string, bool> _acknowledged = new();
    private long _nextId = 900_000_000_000_000_000;
    private TimeSpan _globalBlockedUntil;

    private FakeDiscordServer(WebApplication app) => _app = app;

    public Journal<RecordedRequest> Requests { get; } = new();
    /// <summary>Every broken Discord rule seen: a body over a limit, a request during a rate-limit block, a late ack.</summary>
    public Journal<string> Violations { get; } = new();
    public Journal<GatewayEvent> Gateway { get; } = new();

    public string BaseUrl { get; private set; } = "";
    public string ApiUrl => BaseUrl + "/api/v10";

    /// <summary>Requests per bucket window the fake allows (headers tell the client).</summary>
    public int BucketLimit { get; set; } = 5;
    public TimeSpan BucketWindow { get; set; } = TimeSpan.FromMilliseconds(100);
    /// <summary>Replaces the normal answer for matching requests (return null to fall through).</summary>
    public Func<RecordedRequest, FakeResponse?>? Script { get; set; }

    public static async Task<FakeDiscordServer> StartAsync()
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseKestrel(o => o.Listen(IPAddress.Loopback, 0));
        builder.Logging.ClearProviders();
        var app = builder.Build();
        var fake = new FakeDiscordServer(app);
        app.UseWebSockets();
        app.Run(fake.HandleAsync);
        await app.StartAsync();
        fake.BaseUrl = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First().TrimEnd('/');
        return fake;
    }

    public TimeSpan Now => _clock.Elapsed;

    private async Task HandleAsync(HttpContext context)
    {
        var path = (context.Request.Path.Value ?? "").TrimEnd('/');
        if (context.WebSockets.IsWebSocketRequest && (path == "/gateway" || path == "/resume"))
        {
            await RunGatewayAsync(context, path);
            return;
        }
        if (!path.StartsWith("/api/v10/", StringComparison.Ordinal))
        {
            context.Response.StatusCode = 404;
            return;
        }
        var request = await RecordAsync(context, path["/api/v10/".Length..]);
        var response = Script?.Invoke(request) ?? Answer(request);
        request.Status = response.Status;
        Requests.Add(request);
        context.Response.StatusCode = response.Status;
        foreach (var (name, value) in response.Headers ?? new Dictionary<string, string>()) context.Response.Headers[name] = value;
        if (response.Body.Length > 0)
        {
            context.Response.ContentType = "application/json";
            await context.Response.WriteAsync(response.Body);
        }
    }

    private async Task<RecordedRequest> RecordAsync(HttpContext context, string path)
    {
        var headers = context.Request.Headers.ToDictionary(h => h.Key, h => h.Value.ToString(), StringComparer.OrdinalIgnoreCase);
        var files = new List<string>();
        string body;
        if (context.Request.HasFormContentType)
        {
            var form = await context.Request.ReadFormAsync();
            body = form["payload_json"].ToString();
            foreach (var file in form.Files)
            {
                using var reader = new StreamReader(file.OpenReadStream());
                files.Add($"{file.Name}:{file.FileName}:{await reader.ReadToEndAsync()}");
            }
        }
        else
        {
            using var reader = new StreamReader(context.Request.Body);
            body = await reader.ReadToEndAsync();
        }
        JsonNode? json = null;
        try { json = body.Length > 0 ? JsonNode.Parse(body) : null; } catch (System.Text.Json.JsonException) { }
        return new RecordedRequest(context.Request.Method, path, headers, body, json, files, Now);
    }

    private FakeResponse Answer(RecordedRequest request)
    {
        var segments = request.Path.Split('/');
        var isInteraction = segments[0] == "interactions" || segments[0] == "webhooks";
        if (!isInteraction)
        {
            if (!request.Headers.TryGetValue("Authorization", out var auth) || auth != $"Bot {Token}")
            {
                return Error(401, 0, "401: Unauthorized");
            }
            if (!request.Headers.TryGetValue("User-Agent", out var agent) || !agent.StartsWith("DiscordBot (", StringComparison.Ordinal))
            {
                Violations.Add($"missing DiscordBot User-Agent on {request.Path}");
            }
            if (Now < _globalBlockedUntil) Violations.Add($"request during global rate limit: {request.Method} {request.Path}");
        }
        var bucketKey = BucketKey(request);
        var bucket = _buckets.GetOrAdd(bucketKey, _ => new FakeBucket());
        var rateHeaders = new Dictionary<string, string>();
        lock (bucket)
        {
            if (Now < bucket.BlockedUntil)
            {
                Violations.Add($"request during bucket rate limit: {request.Method} {request.Path}");
            }
            if (Now - bucket.WindowStart >= BucketWindow)
            {
                bucket.WindowStart = Now;
                bucket.Used = 0;
            }
            var resetAfter = (bucket.WindowStart + BucketWindow - Now).TotalSeconds;
            if (bucket.Used >= BucketLimit)
            {
                Violations.Add($"429 sent: bucket {bucketKey} exhausted");
                return new FakeResponse(429, $$"""{"message":"You are being rate limited.","retry_after":{{resetAfter.ToString(CultureInfo.InvariantCulture)}},"global":false}""",
                    new Dictionary<string, string> { ["X-RateLimit-Remaining"] = "0", ["X-RateLimit-Reset-After"] = resetAfter.ToString(CultureInfo.InvariantCulture), ["X-RateLimit-Scope"] = "user" });
            }
            bucket.Used++;
            rateHeaders["X-RateLimit-Limit"] = BucketLimit.ToString(CultureInfo.InvariantCulture);
            rateHeaders["X-RateLimit-Remaining"] = (BucketLimit - bucket.Used).ToString(CultureInfo.InvariantCulture);
            rateHeaders["X-RateLimit-Reset-After"] = resetAfter.ToString("0.000", CultureInfo.InvariantCulture);
            rateHeaders["X-RateLimit-Bucket"] = "b" + (uint)Template(request).GetHashCode(StringComparison.Ordinal);
        }
        var response = Route(request, segments);
        return response with { Headers = response.Headers ?? rateHeaders };
    }

    /// <summary>Blocks a bucket (or everything) as a 429 would; requests before the end are violations.</summary>
    public FakeResponse RateLimited(RecordedRequest request, double retryAfterSeconds, bool global)
    {
        var until = Now + TimeSpan.FromSeconds(retryAfterSeconds);
        if (global) _globalBlockedUntil = until;
        else _buckets.GetOrAdd(BucketKey(request), _ => new FakeBucket()).BlockedUntil = until;
        var headers = new Dictionary<string, string>
        {
            ["Retry-After"] = Math.Ceiling(retryAfterSeconds).ToString(CultureInfo.InvariantCulture),
            ["X-RateLimit-Scope"] = global ? "global" : "user",
        };
        if (global) headers["X-RateLimit-Global"] = "true";
        var r = retryAfterSeconds.ToString(CultureInfo.InvariantCulture);
        return new FakeResponse(429, $$"""{"message":"You are being rate limited.","retry_after":{{r}},"global":{{(global ? "true" : "false")}}}""", headers);
    }

    public static FakeResponse Error(int status, int code, string message)
        => new(status, new JsonObject { ["code"] = code, ["message"] = message }.ToJsonString());

    private FakeResponse Route(RecordedRequest request, string[] s)
    {
        switch (request.Method, s.Length > 0 ? s[0] : "")
        {
            case ("GET", "gateway"):
                return Ok(new JsonObject { ["url"] = BaseUrl.Replace("http", "ws", StringComparison.Ordinal) + "/gateway", ["shards"] = 1 });
            case ("POST", "channels") when s.Length == 3 && s[2] == "messages":
                return PostMessage(request, s[1]);
            case ("PATCH", "channels") when s.Length == 4:
                CheckMessage(request.Json, request.Path);
                return Ok(new JsonObject { ["id"] = s[3], ["channel_id"] = s[1] });
            case ("PUT", "applications"):
                return Ok(request.Json?.DeepClone() ?? new JsonArray());
            case ("POST", "interactions") when s.Length == 4:
                return Callback(request, s[1], s[2]);
            case (_, "webhooks") when s.Length >= 3:
                return Webhook(request, s[2]);
            default:
                return Error(404, 0, "404: Not Found");
        }
    }

    private FakeResponse PostMessage(RecordedRequest request, string channelId)
    {
        if (!CheckMessage(request.Json, request.Path)) return Error(400, 50035, "Invalid Form Body");
        var json = request.Json!;
        if (json["enforce_nonce"]?.GetValue<bool>() == true && json["nonce"]?.GetValue<string>() is { } nonce)
        {
            // Discord answers a repeated nonce (within minutes) with the message it already created.
            var id = _noncesSeen.GetOrAdd($"{channelId}/{nonce}", _ => NewId());
            return Ok(new JsonObject { ["id"] = id, ["channel_id"] = channelId, ["nonce"] = nonce });
        }
        return Ok(new JsonObject { ["id"] = NewId(), ["channel_id"] = channelId });
    }

    private FakeResponse Callback(RecordedRequest request, string id, string token)
    {
        if (!_interactions.TryGetValue(id, out var interaction) || interaction.Token != token)
        {
            return Error(404, 10062, "Unknown interaction");
        }
        if (Now - interaction.CreatedAt > TimeSpan.FromSeconds(3))
        {
            Violations.Add($"interaction {id} acknowledged after 3 s");
            return Error(404, 10062, "Unknown interaction");
        }
        if (!_acknowledged.TryAdd(id, true)) return Error(400, 40060, "Interaction has already been acknowledged.");
        var data = request.Json?["data"];
        if (data is not null) CheckMessage(data, request.Path);
        return new FakeResponse(204, "");
    }

    private FakeResponse Webhook(RecordedRequest request, string token)
    {
        var id = _interactions.FirstOrDefault(i => i.Value.Token == token).Key;
        if (id is null || !_acknowledged.ContainsKey(id)) Violations.Add($"webhook use before the interaction was acknowledged: {request.Path}");
        if (request.Method == "DELETE") return new FakeResponse(204, "");
        if (request.Json is not null) CheckMessage(request.Json, request.Path);
        return Ok(new JsonObject { ["id"] = NewId() });
    }

    /// <summary>Checks a message body against Discord's documented limits; records each violation.</summary>
    private bool CheckMessage(JsonNode? json, string where)
    {
        var before = Violations.Items.Count;
        if (json is null)
        {
            Violations.Add($"{where}: no JSON body");
            return false;
        }
        if (json["content"]?.GetValue<string>() is { } content && content.Length > 2000) Violations.Add($"{where}: content {content.Length} > 2000");
        if (json["allowed_mentions"]?["parse"] is not JsonArray { Count: 0 }) Violations.Add($"{where}: allowed_mentions.parse not []");
        if (json["nonce"]?.GetValue<string>() is { } nonce && nonce.Length > 25) Violations.Add($"{where}: nonce {nonce.Length} > 25");
        if (json["components"] is JsonArray rows)
        {
            if (rows.Count > 5) Violations.Add($"{where}: {rows.Count} rows > 5");
            foreach (var row in rows)
            {
                if (row?["type"]?.GetValue<int>() != 1) Violations.Add($"{where}: top-level component is not an action row");
                var buttons = row?["components"] as JsonArray ?? [];
                if (buttons.Count is 0 or > 5) Violations.Add($"{where}: {buttons.Count} buttons in a row");
                foreach (var button in buttons)
                {
                    if (button?["custom_id"]?.GetValue<string>() is not { Length: > 0 and <= 100 }) Violations.Add($"{where}: custom_id missing or > 100");
                    if (button?["label"]?.GetValue<string>() is { Length: > 80 }) Violations.Add($"{where}: label > 80");
                }
            }
        }
        return Violations.Items.Count == before;
    }

    private static string Template(RecordedRequest request)
    {
        var s = request.Path.Split('/');
        return request.Method + " " + string.Join('/', s.Select((x, i) => i == 1 && s[0] is "channels" or "guilds" or "webhooks" ? x : (x.All(char.IsAsciiDigit) ? ":id" : x)));
    }

    private static string BucketKey(RecordedRequest request) => Template(request);

    private string NewId() => Interlocked.Increment(ref _nextId).ToString(CultureInfo.InvariantCulture);

    private static FakeResponse Ok(JsonNode body) => new(200, body.ToJsonString());

    private sealed class FakeBucket
    {
        public TimeSpan WindowStart = TimeSpan.MinValue / 2;
        public int Used;
        public TimeSpan BlockedUntil;
    }

    public async ValueTask DisposeAsync()
    {
        AbortGateway();
        await _app.StopAsync();
        await _app.DisposeAsync();
    }
}
