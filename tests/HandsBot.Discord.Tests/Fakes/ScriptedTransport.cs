using System.Threading.Channels;
using HandsBot.Discord.Gateway;

namespace HandsBot.Discord.Tests.Fakes;

/// <summary>A gateway transport driven by the test: it feeds frames and reads what the client sent.</summary>
public sealed class ScriptedTransport : IGatewayTransport, IGatewayTransportFactory
{
    private Channel<GatewayFrame> _inbound = Channel.CreateUnbounded<GatewayFrame>();

    public Journal<string> Sent { get; } = new();
    public Journal<string> Events { get; } = new();

    public IGatewayTransport Create()
    {
        _inbound = Channel.CreateUnbounded<GatewayFrame>();
        return this;
    }

    public void Feed(string json) => _inbound.Writer.TryWrite(new GatewayFrame(json));

    public void FeedClose(int code) => _inbound.Writer.TryWrite(new GatewayFrame(null, code, "scripted"));

    public Task ConnectAsync(Uri uri, CancellationToken ct)
    {
        Events.Add($"connect {uri}");
        return Task.CompletedTask;
    }

    public Task SendAsync(string text, CancellationToken ct)
    {
        Sent.Add(text);
        return Task.CompletedTask;
    }

    public async Task<GatewayFrame> ReceiveAsync(CancellationToken ct) => await _inbound.Reader.ReadAsync(ct);

    public Task CloseAsync(int code, string reason, CancellationToken ct)
    {
        Events.Add($"close {code}");
        return Task.CompletedTask;
    }

    public ValueTask DisposeAsync() => ValueTask.CompletedTask;
}
