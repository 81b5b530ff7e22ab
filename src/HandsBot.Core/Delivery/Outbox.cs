using System.Text;
using System.Text.Json;
using HandsBot.Core.Storage;
using HandsBot.Core.Util;
using Microsoft.Extensions.Logging;

namespace HandsBot.Core.Delivery;

/// <summary>
/// Turns content into outbox items: each target's rendered parts become items keyed by (source, target,
/// part), so the same content written twice is sent once. Writing them is the caller's transaction (a
/// run's finish, a decision) or <see cref="EnqueueAsync"/>; the sender delivers them.
/// </summary>
public sealed class Outbox(ChannelSet channels, IOutboxStore store, TimeProvider time, ILogger<Outbox> logger)
{
    /// <summary>Wakes the sender: set whenever items were written.</summary>
    public AsyncSignal Wake { get; } = new();

    /// <summary>Renders <paramref name="content"/> for each target into items (not written).</summary>
    /// <param name="sourceKey">What the content is for, unique per message: e.g. "exec:{id}:output".</param>
    public IReadOnlyList<OutboxItem> Compose(string sourceKey, OutgoingContent content, IEnumerable<ChannelTarget> targets, string? executionId, string? approvalId, bool approvalRequest = false)
    {
        var items = new List<OutboxItem>();
        var now = time.GetUtcNow();
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
                var part = WithinFileLimit(parts[i], target.Platform, executionId);
                items.Add(new OutboxItem
                {
                    IdempotencyKey = $"{sourceKey}:{target}:{i}",
                    Platform = target.Platform,
                    ChatId = target.ChatId,
                    ThreadId = target.ThreadId,
                    Kind = part.Kind == PartKind.File ? OutboxKind.File : OutboxKind.Send,
                    PayloadJson = Serialize(part),
                    CreatedAt = now,
                    NextAttemptAt = now,
                    ExecutionId = executionId,
                    ApprovalId = approvalId,
                    // Only the part with the buttons shows the request to decide.
                    IsApprovalRequest = approvalRequest && part.Buttons.Count > 0,
                });
            }
        }
        return items;
    }

    /// <summary>The first part of <paramref name="content"/> as rendered for each platform that runs (edits replace one message).</summary>
    public IReadOnlyDictionary<string, string> RenderEdits(OutgoingContent content)
    {
        var payloads = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        foreach (var platform in channels.Platforms)
        {
            var part = channels.Get(platform)!.Render(content)[0] with { Buttons = content.Buttons };
            payloads[platform] = Serialize(part);
        }
        return payloads;
    }

    /// <summary>Writes items (an idempotency key already present is skipped) and wakes the sender.</summary>
    public async Task<int> EnqueueAsync(IReadOnlyList<OutboxItem> items, CancellationToken ct = default)
    {
        var added = await store.EnqueueAsync(items, ct).ConfigureAwait(false);
        if (added > 0) Wake.Set();
        return added;
    }

    /// <summary>Renders and writes in one go (messages that belong to no larger transaction).</summary>
    public Task<int> EnqueueAsync(string sourceKey, OutgoingContent content, IEnumerable<ChannelTarget> targets, string? executionId, string? approvalId, CancellationToken ct = default) =>
        EnqueueAsync(Compose(sourceKey, content, targets, executionId, approvalId), ct);

    public static string Serialize(OutboundPart part) => JsonSerializer.Serialize(part, DeliveryJson.Default.OutboundPart);

    public static OutboundPart Deserialize(string json) => JsonSerializer.Deserialize(json, DeliveryJson.Default.OutboundPart)!;

    /// <summary>A file part cut to what the platform accepts, with a note saying where the rest is.</summary>
    private static OutboundPart WithinFileLimit(OutboundPart part, string platform, string? executionId)
    {
        if (part.Kind != PartKind.File || part.FileContent is not { } content) return part;
        var limit = PlatformLimits.MaxFileBytes(platform);
        if (limit is not { } max || Encoding.UTF8.GetByteCount(content) <= max) return part;
        var where = executionId is null ? "" : $" The whole output: /output {ShortIds.Short(executionId)}.";
        var note = $"\n\n… cut here: {platform} accepts files up to {max / (1024 * 1024)} MiB.{where}\n";
        var room = max - Encoding.UTF8.GetByteCount(note);
        var bytes = Encoding.UTF8.GetBytes(content);
        var kept = Running.Utf8Boundaries.Trim(bytes.AsSpan(0, (int)room));
        return part with { FileContent = Encoding.UTF8.GetString(kept) + note };
    }
}

/// <summary>What each platform accepts in one file upload.</summary>
public static class PlatformLimits
{
    /// <summary>Bytes per file: Telegram bots 50 MB, Discord 10 MiB without boosts; null = no limit (console, file drop).</summary>
    public static long? MaxFileBytes(string platform) => platform switch
    {
        DeliveryRouter.Telegram => 50L * 1000 * 1000,
        DeliveryRouter.Discord => 10L * 1024 * 1024,
        _ => null,
    };
}
