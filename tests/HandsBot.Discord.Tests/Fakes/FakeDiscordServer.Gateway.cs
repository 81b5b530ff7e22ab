using System.Net.WebSockets;
using System.Text;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Http;

namespace HandsBot.Discord.Tests.Fakes;

// The gateway half of the fake: one session at a time, with a dispatch log for resume replay.
public sealed partial class FakeDiscordServer
{
    private readonly SemaphoreSlim _sessionLock = new(1, 1);
    private readonly List<(long Seq, string Type, JsonNode Data)> _log = [];
    private WebSocket? _socket;
    private bool _socketReady;
    private string? _sessionId;
    private long _seq;
    private int _sessions;

    /// <summary>The heartbeat interval sent in Hello; tests make it small when the protocol needs it.</summary>
    public int HeartbeatIntervalMs { get; set; } = 30_000;
    /// <summary>When false the fake stops acknowledging heartbeats (a zombie connection).</summary>
    public bool AckHeartbeats { get; set; } = true;
    public string? SessionId => _sessionId;

    private async Task RunGatewayAsync(HttpContext context, string path)
    {
        using var socket = await context.WebSockets.AcceptWebSocketAsync();
        Gateway.Add(new GatewayEvent("connect", Path: path + context.Request.QueryString));
        await _sessionLock.WaitAsync();
        try
        {
            _socket = socket;
            _socketReady = false;
            await SendAsync(socket, new JsonObject { ["op"] = 10, ["d"] = new JsonObject { ["heartbeat_interval"] = HeartbeatIntervalMs } });
        }
        finally
        {
            _sessionLock.Release();
        }
        var buffer = new byte[64 * 1024];
        try
        {
            while (true)
            {
                using var message = new MemoryStream();
                WebSocketReceiveResult result;
                do
                {
                    result = await socket.ReceiveAsync(buffer, context.RequestAborted);
                    if (result.MessageType == WebSocketMessageType.Close)
                    {
                        Gateway.Add(new GatewayEvent("client-close", Code: (int?)result.CloseStatus));
                        return;
                    }
                    message.Write(buffer, 0, result.Count);
                }
                while (!result.EndOfMessage);
                await OnClientPayloadAsync(socket, JsonNode.Parse(Encoding.UTF8.GetString(message.ToArray()))!);
            }
        }
        catch (Exception ex) when (ex is WebSocketException or OperationCanceledException or IOException)
        {
            Gateway.Add(new GatewayEvent("dropped"));
        }
        finally
        {
            await _sessionLock.WaitAsync();
            if (ReferenceEquals(_socket, socket)) _socket = null;
            _sessionLock.Release();
        }
    }

    private async Task OnClientPayloadAsync(WebSocket socket, JsonNode payload)
    {
        var op = payload["op"]!.GetValue<int>();
        var data = payload["d"];
        switch (op)
        {
            case 1:
                Gateway.Add(new GatewayEvent("heartbeat", data?.DeepClone()));
                if (AckHeartbeats) await SendLockedAsync(socket, new JsonObject { ["op"] = 11 });
                break;
            case 2:
                Gateway.Add(new GatewayEvent("identify", data?.DeepClone()));
                if (data?["token"]?.GetValue<string>() != Token)
                {
                    await CloseAsync(4004, "Authentication failed.");
                    return;
                }
                await _sessionLock.WaitAsync();
                try
                {
                    _sessionId = $"session-{++_sessions}";
                    _log.Clear();
                    _seq = 0;
                    _socketReady = true;
                    var ready = new JsonObject
                    {
                        ["v"] = 10,
                        ["session_id"] = _sessionId,
                        ["resume_gateway_url"] = BaseUrl.Replace("http", "ws", StringComparison.Ordinal) + "/resume",
                        ["user"] = new JsonObject { ["id"] = ApplicationId, ["username"] = "HandsBot" },
                    };
                    await SendDispatchLockedAsync("READY", ready);
                }
                finally
                {
                    _sessionLock.Release();
                }
                Gateway.Add(new GatewayEvent("ready", Data: JsonValue.Create(_sessionId)));
                break;
            case 6:
                Gateway.Add(new GatewayEvent("resume", data?.DeepClone()));
                await _sessionLock.WaitAsync();
                try
                {
                    if (data?["session_id"]?.GetValue<string>() != _sessionId || data?["token"]?.GetValue<string>() != Token)
                    {
                        await SendAsync(socket, new JsonObject { ["op"] = 9, ["d"] = false });
                        return;
                    }
                    var from = data?["seq"]?.GetValue<long>() ?? 0;
                    foreach (var (seq, type, d) in _log.Where(e => e.Seq > from).ToList())
                    {
                        await SendAsync(socket, new JsonObject { ["op"] = 0, ["s"] = seq, ["t"] = type, ["d"] = d.DeepClone() });
                    }
                    _socketReady = true;
                    await SendDispatchLockedAsync("RESUMED", new JsonObject());
                }
                finally
                {
                    _sessionLock.Release();
                }
                Gateway.Add(new GatewayEvent("resumed"));
                break;
        }
    }

    /// <summary>Sends a dispatch now, or logs it for replay when the client is not connected.</summary>
    public async Task DispatchAsync(string type, JsonNode data)
    {
        await _sessionLock.WaitAsync();
        try
        {
            await SendDispatchLockedAsync(type, data);
        }
        finally
        {
            _sessionLock.Release();
        }
    }

    /// <summary>Creates an interaction (id, token, 3-second clock) and dispatches INTERACTION_CREATE.</summary>
    public async Task<JsonObject> DispatchInteractionAsync(JsonObject interaction)
    {
        var id = NewId();
        interaction["id"] = id;
        interaction["token"] = $"itoken-{id}";
        interaction["application_id"] = ApplicationId;
        _interactions[id] = ($"itoken-{id}", Now);
        await DispatchAsync("INTERACTION_CREATE", interaction);
        return interaction;
    }

    /// <summary>Registers an interaction for the HTTP endpoint mode (no gateway dispatch).</summary>
    public JsonObject CreateInteraction(JsonObject interaction)
    {
        var id = NewId();
        interaction["id"] = id;
        interaction["token"] = $"itoken-{id}";
        interaction["application_id"] = ApplicationId;
        _interactions[id] = ($"itoken-{id}", Now);
        return interaction;
    }

    /// <summary>HTTP endpoint mode: the first response went back in the HTTP answer, so the interaction counts as acknowledged.</summary>
    public void MarkAcknowledged(string interactionId) => _acknowledged.TryAdd(interactionId, true);

    public async Task SendOpAsync(int op, JsonNode? data)
    {
        await _sessionLock.WaitAsync();
        try
        {
            if (_socket is { } socket) await SendAsync(socket, new JsonObject { ["op"] = op, ["d"] = data });
        }
        finally
        {
            _sessionLock.Release();
        }
    }

    /// <summary>Closes the current connection with <paramref name="code"/>; later dispatches wait for a resume.</summary>
    public async Task CloseAsync(int code, string reason)
    {
        WebSocket? socket;
        await _sessionLock.WaitAsync();
        try
        {
            socket = _socket;
            _socket = null;
        }
        finally
        {
            _sessionLock.Release();
        }
        if (socket is null) return;
        try
        {
            await socket.CloseOutputAsync((WebSocketCloseStatus)code, reason, CancellationToken.None);
        }
        catch (WebSocketException)
        {
        }
    }

    public void AbortGateway()
    {
        var socket = _socket;
        _socket = null;
        socket?.Abort();
    }

    private async Task SendDispatchLockedAsync(string type, JsonNode data)
    {
        var seq = ++_seq;
        _log.Add((seq, type, data.DeepClone()));
        if (_socket is { } socket && _socketReady)
        {
            try
            {
                await SendAsync(socket, new JsonObject { ["op"] = 0, ["s"] = seq, ["t"] = type, ["d"] = data.DeepClone() });
            }
            catch (Exception ex) when (ex is WebSocketException or ObjectDisposedException)
            {
                // Missed: replayed on resume.
            }
        }
    }

    private async Task SendLockedAsync(WebSocket socket, JsonNode payload)
    {
        await _sessionLock.WaitAsync();
        try
        {
            if (ReferenceEquals(socket, _socket)) await SendAsync(socket, payload);
        }
        finally
        {
            _sessionLock.Release();
        }
    }

    private static Task SendAsync(WebSocket socket, JsonNode payload)
        => socket.SendAsync(Encoding.UTF8.GetBytes(payload.ToJsonString()), WebSocketMessageType.Text, true, CancellationToken.None);
}
