using System.Collections.Concurrent;
using HandsBot.Core.Delivery;

namespace HandsBot.Core.Tests.Engine;

/// <summary>
/// A channel that keeps what it was sent. Like Discord with nonces, it remembers idempotency keys:
/// a resend of the same key returns the first message id without posting again. Failures can be
/// scripted per send.
/// </summary>
public sealed class RecordingChannel(string platform = "console") : IChannel
{
    private long _nextId;
    private readonly ConcurrentDictionary<string, string> _byKey = new();

    public string Platform { get; } = platform;
    /// <summary>Like the real console, a console channel is its own default target; others have none unless set.</summary>
    public ChannelTarget? DefaultTarget { get; set; } = platform == "console" ? new ChannelTarget("console", "console") : null;
    public ConcurrentQueue<SentMessage> Sent { get; } = new();
    public ConcurrentQueue<(string MessageId, OutboundPart Part)> Edits { get; } = new();
    /// <summary>Results to return (in order) before sending for real; null entries send normally.</summary>
    public ConcurrentQueue<SendResult?> Script { get; } = new();
    /// <summary>Exceptions to throw (in order) before sending for real.</summary>
    public ConcurrentQueue<Exception> Throw { get; } = new();
    /// <summary>Counts every call, including refused ones.</summary>
    public int Attempts => _attempts;
    private int _attempts;
    /// <summary>Completed each time a message is posted.</summary>
    public event Action<SentMessage>? OnSent;

    public IReadOnlyList<OutboundPart> Render(OutgoingContent content)
    {
        var text = content.Title is null ? content.Text : content.Title + "\n" + content.Text;
        return [new OutboundPart { Text = text, PlainText = text, Buttons = content.Buttons }];
    }

    public Task<SendResult> SendAsync(ChannelTarget target, OutboundPart part, string idempotencyKey, CancellationToken ct)
    {
        Interlocked.Increment(ref _attempts);
        if (Throw.TryDequeue(out var exception)) throw exception;
        if (Script.TryDequeue(out var scripted) && scripted is not null) return Task.FromResult(scripted);
        if (_byKey.TryGetValue(idempotencyKey, out var existing)) return Task.FromResult(SendResult.Delivered(existing));
        var id = Interlocked.Increment(ref _nextId).ToString(System.Globalization.CultureInfo.InvariantCulture);
        _byKey[idempotencyKey] = id;
        var message = new SentMessage(target, id, part, idempotencyKey);
        Sent.Enqueue(message);
        OnSent?.Invoke(message);
        return Task.FromResult(SendResult.Delivered(id));
    }

    public Task<SendResult> EditAsync(ChannelTarget target, string messageId, OutboundPart part, CancellationToken ct)
    {
        Interlocked.Increment(ref _attempts);
        Edits.Enqueue((messageId, part));
        return Task.FromResult(SendResult.Delivered(messageId));
    }

    public IReadOnlyList<string> Texts => Sent.Select(s => s.Part.Text).ToList();
}

public sealed record SentMessage(ChannelTarget Target, string MessageId, OutboundPart Part, string Key);
