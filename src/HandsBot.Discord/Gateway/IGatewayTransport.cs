namespace HandsBot.Discord.Gateway;

/// <summary>
/// The gateway connection reduced to what the session logic needs, so it can be driven by a
/// scripted transport in tests as well as by a real WebSocket.
/// </summary>
public interface IGatewayTransport : IAsyncDisposable
{
    Task ConnectAsync(Uri uri, CancellationToken ct);
    /// <summary>Sends one text message. Callers serialise sends (the session has a single writer).</summary>
    Task SendAsync(string text, CancellationToken ct);
    /// <summary>The next whole text message, or a close frame from the server.</summary>
    Task<GatewayFrame> ReceiveAsync(CancellationToken ct);
    /// <summary>Starts the close handshake with <paramref name="code"/> without waiting for the server.</summary>
    Task CloseAsync(int code, string reason, CancellationToken ct);
}

/// <summary>Creates a fresh transport per connection attempt.</summary>
public interface IGatewayTransportFactory
{
    IGatewayTransport Create();
}

/// <summary>A received text message, or the server's close frame (<see cref="CloseCode"/> set).</summary>
public sealed record GatewayFrame(string? Text, int? CloseCode = null, string? CloseReason = null)
{
    public bool IsClose => CloseCode is not null;
}
