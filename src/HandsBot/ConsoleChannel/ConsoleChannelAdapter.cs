using System.Globalization;
using System.Text;
using HandsBot.Core.Delivery;
using HandsBot.Core.Model;
using HandsBot.Rendering;

namespace HandsBot.ConsoleChannel;

/// <summary>
/// The console as a channel: deliveries print to stdout as framed plain text, buttons as the
/// commands that do the same thing. Message ids are sequence numbers.
/// </summary>
internal sealed class ConsoleChannelAdapter(ConsoleIO io, TimeProvider time) : IChannel
{
    private long _nextId;

    public string Platform => DeliveryRouter.Console;

    public IReadOnlyList<OutboundPart> Render(OutgoingContent content)
    {
        // The console has no length limit worth splitting for: one part, whole.
        var result = ChatRenderer.Render(content.Text, ToSource(content.Format), RenderTarget.PlainText, new RenderOptions { Title = content.Title, MaxLength = int.MaxValue, MaxParts = int.MaxValue });
        var text = string.Join("\n", result.Parts);
        return [new OutboundPart { Text = text, PlainText = text, Buttons = content.Buttons }];
    }

    public Task<SendResult> SendAsync(ChannelTarget target, OutboundPart part, string idempotencyKey, CancellationToken ct)
    {
        var id = Interlocked.Increment(ref _nextId).ToString(CultureInfo.InvariantCulture);
        io.WriteBlock(Frame($"message {id}", part));
        return Task.FromResult(SendResult.Delivered(id));
    }

    public Task<SendResult> EditAsync(ChannelTarget target, string messageId, OutboundPart part, CancellationToken ct)
    {
        io.WriteBlock(Frame($"update of message {messageId}", part));
        return Task.FromResult(SendResult.Delivered(messageId));
    }

    private string Frame(string what, OutboundPart part)
    {
        var text = new StringBuilder();
        text.Append(CultureInfo.InvariantCulture, $"──── {what} · {time.GetUtcNow():yyyy-MM-dd HH:mm:ss} UTC ────\n");
        text.Append(part.Kind == PartKind.File ? $"[file {part.FileName}]\n{part.FileContent}" : part.Text).Append('\n');
        foreach (var row in part.Buttons)
        {
            text.Append("  ").AppendJoin("   ", row.Select(b => $"[{b.Label}: {ConsoleButtons.CommandFor(b)}]")).Append('\n');
        }
        text.Append("────\n");
        return text.ToString();
    }

    internal static SourceFormat ToSource(OutputFormat format) => format switch
    {
        OutputFormat.Json => SourceFormat.Json,
        OutputFormat.Html => SourceFormat.Html,
        OutputFormat.Text => SourceFormat.Text,
        _ => SourceFormat.Markdown,
    };
}
