using System.Text.Json;
using HandsBot.Core.Storage;
using HandsBot.Core.Util;
using Microsoft.Extensions.Logging;

namespace HandsBot.Core.Delivery;

/// <summary>
/// Puts messages in the persistent outbox: each target's rendered parts become items keyed by
/// (source, target, part), so enqueueing the same content twice sends it once. The sender delivers them.
/// </summary>
public sealed class Outbox(ChannelSet channels, IOutboxStore store, TimeProvider time, ILogger<Outbox> logger)
{
    /// <summary>Wakes the sender: set on every enqueue and every finished send.</summary>
    internal AsyncSignal Wake { get; } = new();

    /// <summary>Renders <paramref name="content"/> for each target and enqueues every part.</summary>
    /// <param name="sourceKey">What the content is for, unique per message: e.g. "exec:{id}:output".</param>
    public async Task<int> EnqueueAsync(string sourceKey, OutgoingContent content, IEnumerable<ChannelTarget> targets, string? executionId, string? approvalId, CancellationToken ct = default)
    {
        var count = 0;
        foreach (var target in targets)
        {
            var channel = channels.Get(target.Platform);
            if (channel is null)
            {
                logger.LogWarning("No {Platform} channel is running; not delivering {Source} to {Target}", target.Platform, sourceKey, target);
                continue;
            }
            var parts = channel.Render(content);
            for (var i = 0; i < parts.Count; i++)
            {
                var now = time.GetUtcNow();
                var item = new OutboxItem
                {
                    IdempotencyKey = $"{sourceKey}:{target}:{i}",
                    Platform = target.Platform,
                    ChatId = target.ChatId,
                    ThreadId = target.ThreadId,
                    Kind = parts[i].Kind == PartKind.File ? OutboxKind.File : OutboxKind.Send,
                    PayloadJson = JsonSerializer.Serialize(parts[i], DeliveryJson.Default.OutboundPart),
                    CreatedAt = now,
                    NextAttemptAt = now,
                    ExecutionId = executionId,
                    ApprovalId = approvalId,
                };
                if (await store.EnqueueAsync(item, ct).ConfigureAwait(false)) count++;
            }
        }
        if (count > 0) Wake.Set();
        return count;
    }

    /// <summary>Enqueues an edit of an already delivered message (e.g. an approval request after the decision).</summary>
    public async Task<bool> EnqueueEditAsync(string sourceKey, ChannelTarget target, string messageId, OutgoingContent content, string? approvalId, CancellationToken ct = default)
    {
        var channel = channels.Get(target.Platform);
        if (channel is null) return false;
        // An edit replaces one message: only the first part fits.
        var part = channel.Render(content)[0] with { Buttons = content.Buttons };
        var now = time.GetUtcNow();
        var added = await store.EnqueueAsync(new OutboxItem
        {
            IdempotencyKey = $"{sourceKey}:{target}:{messageId}",
            Platform = target.Platform,
            ChatId = target.ChatId,
            ThreadId = target.ThreadId,
            Kind = OutboxKind.Edit,
            EditMessageId = messageId,
            PayloadJson = JsonSerializer.Serialize(part, DeliveryJson.Default.OutboundPart),
            CreatedAt = now,
            NextAttemptAt = now,
            ApprovalId = approvalId,
        }, ct).ConfigureAwait(false);
        if (added) Wake.Set();
        return added;
    }
}
