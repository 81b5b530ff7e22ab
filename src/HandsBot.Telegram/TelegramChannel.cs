using HandsBot.Core.Configuration;
using HandsBot.Core.Delivery;
using HandsBot.Core.Model;
using HandsBot.Rendering;
using HandsBot.Telegram.Sending;
using Microsoft.Extensions.Options;

namespace HandsBot.Telegram;

/// <summary>
/// Telegram as the engine's outbox sees it: renders to Telegram HTML and sends or edits one part at a time.
/// Targets are a chat id (or @channel) with an optional forum topic ("chat_id:topic_id").
/// </summary>
public sealed class TelegramChannel : IChannel
{
    private readonly TelegramSender _sender;
    private readonly int _maxParts;

    internal TelegramChannel(TelegramSender sender, IOptions<OutputOptions>? output = null)
    {
        _sender = sender;
        _maxParts = output?.Value.MaxParts ?? new OutputOptions().MaxParts;
    }

    public string Platform => "telegram";

    public ChannelTarget? DefaultTarget { get; init; }

    public IReadOnlyList<OutboundPart> Render(OutgoingContent content) => RenderParts(content, _maxParts);

    internal static IReadOnlyList<OutboundPart> RenderParts(OutgoingContent content, int maxParts)
    {
        var rendered = ChatRenderer.Render(content.Text, ToSourceFormat(content.Format), RenderTarget.TelegramHtml, new RenderOptions
        {
            MaxParts = maxParts,
            Title = content.Title,
            FileName = content.FileName ?? "output.md",
        });
        var parts = new List<OutboundPart>();
        if (rendered.SentAsFile)
        {
            parts.Add(new OutboundPart { Text = rendered.Parts[0], PlainText = rendered.PlainParts.ElementAtOrDefault(0) });
            parts.Add(new OutboundPart
            {
                Kind = PartKind.File,
                Text = "",
                FileName = rendered.FileName ?? content.FileName ?? "output.md",
                FileContent = rendered.FileContent ?? content.Text,
            });
        }
        else
        {
            for (var i = 0; i < rendered.Parts.Count; i++)
            {
                parts.Add(new OutboundPart { Text = rendered.Parts[i], PlainText = rendered.PlainParts.ElementAtOrDefault(i) });
            }
        }
        parts[^1] = parts[^1] with { Buttons = content.Buttons };
        return parts;
    }

    public Task<SendResult> SendAsync(ChannelTarget target, OutboundPart part, string idempotencyKey, CancellationToken ct) =>
        TelegramTarget.TryParse(target, out var parsed, out var error)
            ? _sender.SendAsync(parsed, part, replyTo: null, ct)
            : Task.FromResult(SendResult.Permanent(error!));

    public Task<SendResult> EditAsync(ChannelTarget target, string messageId, OutboundPart part, CancellationToken ct) =>
        TelegramTarget.TryParse(target, out var parsed, out var error)
            ? _sender.EditAsync(parsed, messageId, part, ct)
            : Task.FromResult(SendResult.Permanent(error!));

    private static SourceFormat ToSourceFormat(OutputFormat format) => format switch
    {
        OutputFormat.Json => SourceFormat.Json,
        OutputFormat.Html => SourceFormat.Html,
        OutputFormat.Text => SourceFormat.Text,
        _ => SourceFormat.Markdown,
    };
}
