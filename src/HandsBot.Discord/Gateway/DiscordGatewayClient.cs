using System.Buffers;
using System.Net.WebSockets;
using System.Text;
using System.Text.Json;
using HandsBot.Core.Configuration;
using HandsBot.Discord.Rest;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace HandsBot.Discord.Gateway;

/// <summary>
/// A Discord gateway session: identify or resume, heartbeat with zombie detection, sequence tracking,
/// reconnect/invalid-session handling, and INTERACTION_CREATE dispatches handed to
/// <paramref name="onInteraction"/> off the read loop (a slow handler never delays a heartbeat).
/// </summary>
public sealed partial class DiscordGatewayClient(
    DiscordRestClient rest,
    IGatewayTransportFactory transports,
    IOptions<DiscordOptions> options,
    TimeProvider time,
    ILogger<DiscordGatewayClient> logger,
    Func<Interaction, CancellationToken, Task> onInteraction,
    GatewaySettings? settings = null)
{
    private readonly GatewaySettings _settings = settings ?? new GatewaySettings();
    private string? _gatewayUrl;
    private string? _sessionId;
    private string? _resumeUrl;
    // -1 = no dispatch seen yet; written by the read loop, read by the heartbeat loop.
    private long _sequence = -1;
    private volatile bool _sessionStartedOnThisConnection;

    /// <summary>The current session id (null before READY or after the session was invalidated).</summary>
    public string? SessionId => _sessionId;

    /// <summary>The last dispatch sequence number seen.</summary>
    public long? Sequence => Interlocked.Read(ref _sequence) is var s && s >= 0 ? s : null;

    /// <summary>Raised after READY or RESUMED (tests and health checks wait on it).</summary>
    public event Action<string>? SessionStarted;

    /// <summary>
    /// Runs until <paramref name="ct"/> is cancelled, reconnecting as Discord's rules say.
    /// Throws <see cref="DiscordGatewayException"/> on a fatal close code.
    /// </summary>
    public async Task RunAsync(CancellationToken ct)
    {
        var failures = 0;
        while (!ct.IsCancellationRequested)
        {
            Next next;
            _sessionStartedOnThisConnection = false;
            try
            {
                next = await RunConnectionAsync(ct).ConfigureAwait(false);
            }
            catch (OperationCanceledException) when (ct.IsCancellationRequested)
            {
                return;
            }
            catch (Exception ex) when (ex is WebSocketException or IOException or HttpRequestException or JsonException)
            {
                LogConnectionFailed(logger, ex.Message);
                next = Next.Backoff;
            }

            // A connection that got as far as READY/RESUMED was healthy: start the backoff afresh.
            if (_sessionStartedOnThisConnection) failures = 0;
            switch (next)
            {
                case Next.Now:
                    failures = 0;
                    break;
                case Next.Backoff:
                    var delay = TimeSpan.FromTicks(Math.Min(_settings.MaxReconnectDelay.Ticks, _settings.ReconnectDelay.Ticks << Math.Min(failures, 16)));
                    failures++;
                    await DelayAsync(delay * (0.5 + (Random.Shared.NextDouble() / 2)), ct).ConfigureAwait(false);
                    break;
                case Next.IdentifyAfterPause:
                    var min = _settings.InvalidSessionMinDelay;
                    await DelayAsync(min + ((_settings.InvalidSessionMaxDelay - min) * Random.Shared.NextDouble()), ct).ConfigureAwait(false);
                    break;
            }
        }
    }

    private enum Next { Now, Backoff, IdentifyAfterPause }

    private async Task<Next> RunConnectionAsync(CancellationToken ct)
    {
        if (_gatewayUrl is null)
        {
            var response = await rest.SendAsync(HttpMethod.Get, "gateway/bot", null, ct).ConfigureAwait(false);
            if (!response.IsSuccess)
            {
                // A 5xx, 429 or network failure is retried with backoff; a refusal (bad token) is final.
                if (response.IsTransient) throw new HttpRequestException($"Getting the Discord gateway URL failed: {response.Describe()}");
                throw new DiscordGatewayException($"Getting the Discord gateway URL failed: {response.Describe()}");
            }
            _gatewayUrl = JsonSerializer.Deserialize(response.Body, DiscordJsonContext.Default.GatewayBotResponse)?.Url
                ?? throw new DiscordGatewayException("Discord's /gateway/bot answer had no url");
        }
        var resuming = _sessionId is not null && _resumeUrl is not null;
        var uri = new Uri($"{(resuming ? _resumeUrl : _gatewayUrl)!.TrimEnd('/')}/?v=10&encoding=json");

        await using var transport = transports.Create();
        using var connection = CancellationTokenSource.CreateLinkedTokenSource(ct);
        await transport.ConnectAsync(uri, ct).ConfigureAwait(false);
        var writer = new GatewayWriter(transport, time, _settings);
        var writing = writer.RunAsync(connection.Token);
        var heartbeat = new Heartbeat();
        Task? beating = null;
        try
        {
            var hello = await transport.ReceiveAsync(connection.Token).ConfigureAwait(false);
            if (hello.IsClose) return OnClose(hello);
            var interval = HelloInterval(hello.Text!);
            beating = HeartbeatLoopAsync(writer, heartbeat, interval, connection, ct);
            if (resuming)
            {
                LogResuming(logger, _sessionId!, Interlocked.Read(ref _sequence));
                writer.Enqueue(ResumePayload());
            }
            else
            {
                writer.Enqueue(IdentifyPayload());
            }

            while (true)
            {
                GatewayFrame frame;
                try
                {
                    frame = await transport.ReceiveAsync(connection.Token).ConfigureAwait(false);
                }
                catch (OperationCanceledException) when (!ct.IsCancellationRequested && heartbeat.Zombie)
                {
                    return Next.Now;
                }
                catch (Exception ex) when (!ct.IsCancellationRequested && heartbeat.Zombie && ex is WebSocketException or IOException)
                {
                    return Next.Now;
                }
                if (frame.IsClose) return OnClose(frame);
                if (Dispatch(frame.Text!, writer, heartbeat, ct) is { } next)
                {
                    // Op 7 / op 9: close with a non-1000 code so the session stays resumable.
                    await CloseQuietlyAsync(writer, 4000, "reconnecting").ConfigureAwait(false);
                    return next;
                }
            }
        }
        finally
        {
            await connection.CancelAsync().ConfigureAwait(false);
            await Task.WhenAll(Quietly(writing), Quietly(beating)).ConfigureAwait(false);
        }
    }

    /// <summary>Handles one payload; returns what to do next when the connection must end.</summary>
    private Next? Dispatch(string text, GatewayWriter writer, Heartbeat heartbeat, CancellationToken ct)
    {
        using var document = JsonDocument.Parse(text);
        var root = document.RootElement;
        var op = root.GetProperty("op").GetInt32();
        switch (op)
        {
            case GatewayOpcodes.Dispatch:
                if (root.TryGetProperty("s", out var s) && s.ValueKind == JsonValueKind.Number)
                {
                    Interlocked.Exchange(ref _sequence, s.GetInt64());
                }
                var name = root.GetProperty("t").GetString();
                var data = root.GetProperty("d");
                OnDispatch(name, data, ct);
                return null;
            case GatewayOpcodes.Heartbeat:
                writer.EnqueueHeartbeat(HeartbeatPayload());
                return null;
            case GatewayOpcodes.HeartbeatAck:
                heartbeat.Acked = true;
                return null;
            case GatewayOpcodes.Reconnect:
                LogReconnectRequested(logger);
                return Next.Now;
            case GatewayOpcodes.InvalidSession:
                var resumable = root.TryGetProperty("d", out var d) && d.ValueKind == JsonValueKind.True;
                LogInvalidSession(logger, resumable);
                if (resumable) return Next.Now;
                ForgetSession();
                return Next.IdentifyAfterPause;
            default:
                return null;
        }
    }

    private void OnDispatch(string? name, JsonElement data, CancellationToken ct)
    {
        switch (name)
        {
            case "READY":
                _sessionId = data.GetProperty("session_id").GetString();
                _resumeUrl = data.TryGetProperty("resume_gateway_url", out var url) ? url.GetString() : null;
                LogReady(logger, _sessionId ?? "");
                _sessionStartedOnThisConnection = true;
                SessionStarted?.Invoke(name);
                break;
            case "RESUMED":
                LogResumed(logger, _sessionId ?? "");
                _sessionStartedOnThisConnection = true;
                SessionStarted?.Invoke(name);
                break;
            case "INTERACTION_CREATE":
                var interaction = data.Deserialize(DiscordJsonContext.Default.Interaction);
                if (interaction is not null) _ = Task.Run(() => HandleInteractionAsync(interaction, ct), CancellationToken.None);
                break;
        }
    }

    private async Task HandleInteractionAsync(Interaction interaction, CancellationToken ct)
    {
        try
        {
            await onInteraction(interaction, ct).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is not OperationCanceledException || !ct.IsCancellationRequested)
        {
            LogInteractionFailed(logger, ex, interaction.Id);
        }
    }

    private async Task HeartbeatLoopAsync(GatewayWriter writer, Heartbeat heartbeat, TimeSpan interval, CancellationTokenSource connection, CancellationToken stopping)
    {
        // The first beat is jittered so a fleet of reconnecting clients does not beat in step.
        await Task.Delay(interval * Random.Shared.NextDouble(), time, connection.Token).ConfigureAwait(false);
        heartbeat.Acked = true;
        while (!connection.IsCancellationRequested)
        {
            if (!heartbeat.Acked)
            {
                // No ACK since the last beat: a zombie connection. Close non-1000 (keeps the session) and resume.
                LogZombie(logger, interval.TotalMilliseconds);
                heartbeat.Zombie = true;
                await CloseQuietlyAsync(writer, 4000, "heartbeat not acknowledged").ConfigureAwait(false);
                if (!stopping.IsCancellationRequested) await connection.CancelAsync().ConfigureAwait(false);
                return;
            }
            heartbeat.Acked = false;
            writer.EnqueueHeartbeat(HeartbeatPayload());
            await Task.Delay(interval, time, connection.Token).ConfigureAwait(false);
        }
    }

    private Next OnClose(GatewayFrame frame)
    {
        var code = frame.CloseCode ?? 1005;
        if (DiscordGatewayException.FatalReason(code) is { } fatal)
        {
            LogFatal(logger, code, fatal);
            throw new DiscordGatewayException(code, fatal);
        }
        LogClosed(logger, code, frame.CloseReason ?? "");
        // 4007 invalid seq, 4009 session timed out: the session is gone; identify anew.
        if (code is 4007 or 4009) ForgetSession();
        return Next.Backoff;
    }

    private void ForgetSession()
    {
        _sessionId = null;
        _resumeUrl = null;
        Interlocked.Exchange(ref _sequence, -1);
    }

    private async Task DelayAsync(TimeSpan delay, CancellationToken ct)
    {
        try
        {
            await Task.Delay(delay, time, ct).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (ct.IsCancellationRequested)
        {
        }
    }

    private static async Task CloseQuietlyAsync(GatewayWriter writer, int code, string reason)
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(5));
        try
        {
            await writer.CloseAsync(code, reason, timeout.Token).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is WebSocketException or IOException or OperationCanceledException or InvalidOperationException)
        {
            // The connection is being dropped anyway.
        }
    }

    private static async Task Quietly(Task? task)
    {
        if (task is null) return;
        try
        {
            await task.ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is OperationCanceledException or WebSocketException or IOException or InvalidOperationException)
        {
        }
    }

    private static TimeSpan HelloInterval(string text)
    {
        using var document = JsonDocument.Parse(text);
        var root = document.RootElement;
        if (root.GetProperty("op").GetInt32() != GatewayOpcodes.Hello)
        {
            throw new JsonException("The gateway's first payload was not Hello (op 10)");
        }
        return TimeSpan.FromMilliseconds(root.GetProperty("d").GetProperty("heartbeat_interval").GetDouble());
    }

    private string HeartbeatPayload()
    {
        var sequence = Sequence;
        return sequence is null ? """{"op":1,"d":null}""" : $$"""{"op":1,"d":{{sequence.Value}}}""";
    }

    private string IdentifyPayload() => Json(w =>
    {
        w.WriteNumber("op", GatewayOpcodes.Identify);
        w.WriteStartObject("d");
        w.WriteString("token", options.Value.Token);
        // Interactions need no intents.
        w.WriteNumber("intents", 0);
        w.WriteStartObject("properties");
        w.WriteString("os", Environment.OSVersion.Platform.ToString().ToLowerInvariant());
        w.WriteString("browser", "handsbot");
        w.WriteString("device", "handsbot");
        w.WriteEndObject();
        w.WriteEndObject();
    });

    private string ResumePayload() => Json(w =>
    {
        w.WriteNumber("op", GatewayOpcodes.Resume);
        w.WriteStartObject("d");
        w.WriteString("token", options.Value.Token);
        w.WriteString("session_id", _sessionId);
        if (Sequence is { } seq) w.WriteNumber("seq", seq);
        else w.WriteNull("seq");
        w.WriteEndObject();
    });

    private static string Json(Action<Utf8JsonWriter> write)
    {
        var buffer = new ArrayBufferWriter<byte>();
        using (var writer = new Utf8JsonWriter(buffer))
        {
            writer.WriteStartObject();
            write(writer);
            writer.WriteEndObject();
        }
        return Encoding.UTF8.GetString(buffer.WrittenSpan);
    }

    private sealed class Heartbeat
    {
        public volatile bool Acked;
        public volatile bool Zombie;
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Discord gateway ready (session {SessionId})")]
    private static partial void LogReady(ILogger logger, string sessionId);

    [LoggerMessage(Level = LogLevel.Information, Message = "Discord gateway resumed (session {SessionId})")]
    private static partial void LogResumed(ILogger logger, string sessionId);

    [LoggerMessage(Level = LogLevel.Information, Message = "Resuming Discord session {SessionId} from sequence {Sequence}")]
    private static partial void LogResuming(ILogger logger, string sessionId, long sequence);

    [LoggerMessage(Level = LogLevel.Information, Message = "Discord asked the gateway to reconnect (op 7)")]
    private static partial void LogReconnectRequested(ILogger logger);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Discord invalidated the gateway session (op 9, resumable: {Resumable})")]
    private static partial void LogInvalidSession(ILogger logger, bool resumable);

    [LoggerMessage(Level = LogLevel.Warning, Message = "No heartbeat ACK within {IntervalMs} ms: zombie connection, reconnecting")]
    private static partial void LogZombie(ILogger logger, double intervalMs);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Discord gateway closed ({CloseCode} {Reason}); reconnecting")]
    private static partial void LogClosed(ILogger logger, int closeCode, string reason);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Discord gateway connection failed: {Error}; reconnecting")]
    private static partial void LogConnectionFailed(ILogger logger, string error);

    [LoggerMessage(Level = LogLevel.Critical, Message = "Discord gateway stopped ({CloseCode}): {Reason}")]
    private static partial void LogFatal(ILogger logger, int closeCode, string reason);

    [LoggerMessage(Level = LogLevel.Error, Message = "Handling interaction {InteractionId} failed")]
    private static partial void LogInteractionFailed(ILogger logger, Exception exception, string interactionId);
}
