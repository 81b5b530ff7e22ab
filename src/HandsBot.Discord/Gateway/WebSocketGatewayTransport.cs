using System.Net.WebSockets;
using System.Text;

namespace HandsBot.Discord.Gateway;

/// <summary>The gateway over a real WebSocket (ClientWebSocket).</summary>
public sealed class WebSocketGatewayTransport : IGatewayTransport
{
    private readonly ClientWebSocket _socket = new();
    private readonly byte[] _buffer = new byte[16 * 1024];

    public Task ConnectAsync(Uri uri, CancellationToken ct) => _socket.ConnectAsync(uri, ct);

    public Task SendAsync(string text, CancellationToken ct)
        => _socket.SendAsync(Encoding.UTF8.GetBytes(text), WebSocketMessageType.Text, endOfMessage: true, ct);

    public async Task<GatewayFrame> ReceiveAsync(CancellationToken ct)
    {
        using var message = new MemoryStream();
        while (true)
        {
            var result = await _socket.ReceiveAsync(_buffer, ct).ConfigureAwait(false);
            if (result.MessageType == WebSocketMessageType.Close)
            {
                return new GatewayFrame(null, (int?)result.CloseStatus ?? 1005, result.CloseStatusDescription);
            }
            message.Write(_buffer, 0, result.Count);
            if (result.EndOfMessage) return new GatewayFrame(Encoding.UTF8.GetString(message.GetBuffer(), 0, (int)message.Length));
        }
    }

    public async Task CloseAsync(int code, string reason, CancellationToken ct)
    {
        if (_socket.State is WebSocketState.Open or WebSocketState.CloseReceived)
        {
            await _socket.CloseOutputAsync((WebSocketCloseStatus)code, reason, ct).ConfigureAwait(false);
        }
    }

    public ValueTask DisposeAsync()
    {
        _socket.Dispose();
        return ValueTask.CompletedTask;
    }
}

/// <summary>Creates <see cref="WebSocketGatewayTransport"/>s.</summary>
public sealed class WebSocketGatewayTransportFactory : IGatewayTransportFactory
{
    public IGatewayTransport Create() => new WebSocketGatewayTransport();
}
