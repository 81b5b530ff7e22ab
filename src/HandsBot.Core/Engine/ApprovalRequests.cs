using System.Globalization;
using System.Text;
using HandsBot.Core.Chat;
using HandsBot.Core.Delivery;
using HandsBot.Core.Model;
using HandsBot.Core.Storage;
using HandsBot.Core.Util;
using Microsoft.Extensions.Logging;
using HandsBot.Core.Buttons;
using HandsBot.Core.Text;

namespace HandsBot.Core.Engine;

/// <summary>
/// Creates approval requests and keeps every message that shows one up to date: the request is posted
/// with Approve/Reject buttons to the hand's channels, and after the decision each of those messages
/// is edited to show the outcome with the buttons removed.
/// </summary>
public sealed class ApprovalRequests(
    IHandsStore store,
    Outbox outbox,
    DeliveryRouter router,
    TimeProvider time,
    ILogger<ApprovalRequests> logger)
{
    /// <summary>Set when an approval with a deadline was created; the approval clock waits on it.</summary>
    internal AsyncSignal DeadlinesChanged { get; } = new();

    public async Task<ApprovalRecord> CreateAsync(HandDefinition hand, ExecutionRecord execution, ApprovalGate gate, string summary, ApprovalContext context, CancellationToken ct)
    {
        var now = time.GetUtcNow();
        var approval = new ApprovalRecord
        {
            Id = ShortIds.NewId(),
            Reference = ShortIds.NewReference(),
            Hand = hand.Name,
            ExecutionId = execution.Id,
            Gate = gate.Key,
            Action = gate.Action,
            Description = gate.Description,
            Summary = summary,
            ContextJson = context.ToJson(),
            CreatedAt = now,
            ExpiresAt = gate.ExpiresAfter is { } e ? now + e : null,
            AutoApproveAt = gate.AutoApproveAfter is { } a ? now + a : null,
        };
        await store.InsertApprovalAsync(approval, ct).ConfigureAwait(false);
        if (approval.ExpiresAt is not null || approval.AutoApproveAt is not null) DeadlinesChanged.Set();
        logger.LogInformation("Approval {Reference} requested by {Hand} for gate {Gate}", approval.Reference, hand.Name, gate.Key);

        var targets = router.Resolve(hand.Manifest!, ApprovalContext.ParseTarget(context.ReplyTo));
        await outbox.EnqueueAsync($"approval:{approval.Id}:request", RequestContent(approval, context), targets, execution.Id, approval.Id, ct).ConfigureAwait(false);
        return approval;
    }

    /// <summary>Edits every message that showed the request to show the decision, buttons removed.</summary>
    public async Task UpdateMessagesAsync(ApprovalRecord decided, CancellationToken ct)
    {
        var messages = await store.ListApprovalMessagesAsync(decided.Id, ct).ConfigureAwait(false);
        var content = DecidedContent(decided);
        foreach (var message in messages)
        {
            await outbox.EnqueueEditAsync($"approval:{decided.Id}:decided", new ChannelTarget(message.Platform, message.ChatId, message.ThreadId), message.MessageId, content, decided.Id, ct).ConfigureAwait(false);
        }
    }

    /// <summary>
    /// Called when a request message was delivered: remembers it, and if the approval was decided
    /// before the message existed, updates it at once so no stale buttons remain.
    /// </summary>
    public async Task OnRequestDeliveredAsync(OutboxItem item, string messageId, CancellationToken ct)
    {
        if (item.ApprovalId is null || item.Kind == OutboxKind.Edit || !item.IdempotencyKey.Contains(":request:", StringComparison.Ordinal)) return;
        await store.AddApprovalMessageAsync(new ApprovalMessage(item.ApprovalId, item.Platform, item.ChatId, item.ThreadId, messageId), ct).ConfigureAwait(false);
        var approval = await store.GetApprovalAsync(item.ApprovalId, ct).ConfigureAwait(false);
        if (approval is { IsPending: false })
        {
            await outbox.EnqueueEditAsync($"approval:{approval.Id}:decided", new ChannelTarget(item.Platform, item.ChatId, item.ThreadId), messageId, DecidedContent(approval), approval.Id, ct).ConfigureAwait(false);
        }
    }

    public OutgoingContent RequestContent(ApprovalRecord approval, ApprovalContext context)
    {
        var text = new StringBuilder();
        text.Append(CultureInfo.InvariantCulture, $"**Approval needed** · {Md.Escape(approval.Hand)} · {Md.Escape(approval.Gate)}");
        if (!string.IsNullOrWhiteSpace(approval.Description)) text.Append(CultureInfo.InvariantCulture, $" — {Md.Escape(approval.Description)}");
        text.Append("\n\n");
        if (!string.IsNullOrWhiteSpace(approval.Summary)) text.Append(Md.Escape(approval.Summary)).Append("\n\n");
        var preview = context.Kind == ApprovalContext.BroadcastKind ? context.Output : context.DataJson;
        if (!string.IsNullOrWhiteSpace(preview))
        {
            text.Append(Md.Block(TextCut.Truncate(preview, 1200, "\n…"))).Append('\n');
        }
        text.Append(CultureInfo.InvariantCulture, $"Ref `{approval.Reference}`");
        var now = time.GetUtcNow();
        if (approval.AutoApproveAt is { } auto) text.Append(CultureInfo.InvariantCulture, $" · approves itself {TimeText.Relative(auto, now)}");
        if (approval.ExpiresAt is { } exp) text.Append(CultureInfo.InvariantCulture, $" · expires {TimeText.Relative(exp, now)}");
        text.Append(CultureInfo.InvariantCulture, $"\nTap a button, or send /approve {approval.Reference} or /reject {approval.Reference}.");
        return new OutgoingContent
        {
            Text = text.ToString(),
            Buttons =
            [
                [
                    new ChatButton("Approve", ButtonCodec.Approve(approval.Reference), ButtonStyle.Success),
                    new ChatButton("Reject", ButtonCodec.Reject(approval.Reference), ButtonStyle.Danger),
                ],
            ],
        };
    }

    public static OutgoingContent DecidedContent(ApprovalRecord approval)
    {
        var verdict = approval.Status switch
        {
            ApprovalStatus.Approved => $"✅ Approved by {approval.ResolvedBy}",
            ApprovalStatus.Rejected => $"❌ Rejected by {approval.ResolvedBy}",
            ApprovalStatus.AutoApproved => "✅ Approved automatically (no decision in time)",
            ApprovalStatus.Expired => "⌛ Expired without a decision (treated as rejected)",
            _ => "Pending",
        };
        var when = approval.ResolvedAt is { } at ? " at " + TimeText.Utc(at) : "";
        var text = $"**{Md.Escape(approval.Hand)} · {Md.Escape(approval.Gate)}**\n{Md.Escape(approval.Summary)}\n\n{Md.Escape(verdict + when)} · ref `{approval.Reference}`";
        return new OutgoingContent { Text = text };
    }
}
