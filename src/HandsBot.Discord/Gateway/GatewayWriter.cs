using System.Threading.Channels;

namespace HandsBot.Discord.Gateway;

/// <summary>
/// The one writer of a gateway connection: heartbeats go first, other payloads wait their turn and
/// stay under Discord's 120-per-60-seconds limit (with room kept for heartbeats).
/// </summary>
internal sealed class GatewayWriter(IGatewayTransport transport, TimeProvider time, GatewaySettings settings)
{
    private readonly Channel<string> _priority = Channel.CreateUnbounded<string>(new UnboundedChannelOptions { SingleReader = true });
    private readonly Channel<string> _normal = Channel.CreateUnbounded<string>(new UnboundedChannelOptions { SingleReader = true });
    private readonly Queue<DateTimeOffset> _sent = new();
    private readonly SemaphoreSlim _lock = new(1, 1);

    public void EnqueueHeartbeat(string payload) => _priority.Writer.TryWrite(payload);

    public void Enqueue(string payload) => _normal.Writer.TryWrite(payload);

    public async Task RunAsync(CancellationToken ct)
    {
        while (!ct.IsCancellationRequested)
        {
            if (_priority.Reader.TryRead(out var beat))
            {
                await SendAsync(beat, ct).ConfigureAwait(false);
                continue;
            }
            if (_normal.Reader.TryPeek(out var payload))
            {
                var wait = WaitForRoom();
                if (wait <= TimeSpan.Zero)
                {
                    _normal.Reader.TryRead(out _);
                    await SendAsync(payload, ct).ConfigureAwait(false);
                    continue;
                }
                // Full window: wait for room, but let a heartbeat through meanwhile.
                await Task.WhenAny(Task.Delay(wait, time, ct), _priority.Reader.WaitToReadAsync(ct).AsTask()).ConfigureAwait(false);
                continue;
            }
            await Task.WhenAny(_priority.Reader.WaitToReadAsync(ct).AsTask(), _normal.Reader.WaitToReadAsync(ct).AsTask()).ConfigureAwait(false);
        }
    }

    /// <summary>Sends a close frame, serialised with the other sends.</summary>
    public async Task CloseAsync(int code, string reason, CancellationToken ct)
    {
        await _lock.WaitAsync(ct).ConfigureAwait(false);
        try
        {
            await transport.CloseAsync(code, reason, ct).ConfigureAwait(false);
        }
        finally
        {
            _lock.Release();
        }
    }

    private async Task SendAsync(string payload, CancellationToken ct)
    {
        await _lock.WaitAsync(ct).ConfigureAwait(false);
        try
        {
            await transport.SendAsync(payload, ct).ConfigureAwait(false);
            _sent.Enqueue(time.GetUtcNow());
        }
        finally
        {
            _lock.Release();
        }
    }

    private TimeSpan WaitForRoom()
    {
        var now = time.GetUtcNow();
        while (_sent.Count > 0 && _sent.Peek() <= now - settings.SendWindow) _sent.Dequeue();
        return _sent.Count < settings.SendsPerWindow - settings.HeartbeatReserve ? TimeSpan.Zero : _sent.Peek() + settings.SendWindow - now;
    }
}
