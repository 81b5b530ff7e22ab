using HandsBot.Core.Model;

namespace HandsBot.Core.Delivery;

/// <summary>
/// A chat platform as the engine sees it. The engine renders content into parts with
/// <see cref="Render"/>, stores each part in the outbox, and the outbox sender calls
/// <see cref="SendAsync"/> or <see cref="EditAsync"/> until the platform confirms with a message id.
/// </summary>
public interface IChannel
{
    /// <summary>"console", "telegram" or "discord".</summary>
    string Platform { get; }

    /// <summary>
    /// Where a hand without an [output] channel delivers on this platform (Telegram's default_chat, Discord's
    /// default_channel, the console itself); null when none is set. Each channel owns this, so the engine
    /// reads no platform option.
    /// </summary>
    ChannelTarget? DefaultTarget { get; }

    /// <summary>Renders platform-neutral content into the parts to send, within the platform's limits.</summary>
    IReadOnlyList<OutboundPart> Render(OutgoingContent content);

    /// <summary>Sends one part. <paramref name="idempotencyKey"/> lets platforms that support it (Discord nonces) drop a retried duplicate.</summary>
    Task<SendResult> SendAsync(ChannelTarget target, OutboundPart part, string idempotencyKey, CancellationToken ct);

    /// <summary>Replaces a sent message's text and buttons (buttons empty = removed).</summary>
    Task<SendResult> EditAsync(ChannelTarget target, string messageId, OutboundPart part, CancellationToken ct);
}

/// <summary>Where a message goes: a platform, a chat or channel, and optionally a thread or forum topic.</summary>
public sealed record ChannelTarget(string Platform, string ChatId, string? ThreadId = null)
{
    public override string ToString() => ThreadId is null ? $"{Platform}:{ChatId}" : $"{Platform}:{ChatId}:{ThreadId}";
}

/// <summary>What to say, before any platform rendering.</summary>
public sealed record OutgoingContent
{
    /// <summary>Source text in <see cref="Format"/>.</summary>
    public required string Text { get; init; }
    public OutputFormat Format { get; init; } = OutputFormat.Markdown;
    /// <summary>A short heading such as "oracle · success · 07:00" shown above the text.</summary>
    public string? Title { get; init; }
    /// <summary>Buttons attached to the last part.</summary>
    public IReadOnlyList<IReadOnlyList<ChatButton>> Buttons { get; init; } = [];
    /// <summary>File name to use when the output is sent as a file.</summary>
    public string? FileName { get; init; }
}

public enum ButtonStyle { Primary, Secondary, Success, Danger }

/// <summary>A button; <see cref="Id"/> comes from the shared button codec.</summary>
public sealed record ChatButton(string Label, string Id, ButtonStyle Style = ButtonStyle.Secondary);

public enum PartKind { Text, File }

/// <summary>One platform-ready message: rendered text, or a file with a caption.</summary>
public sealed record OutboundPart
{
    public PartKind Kind { get; init; } = PartKind.Text;
    /// <summary>Platform-formatted text (Telegram HTML, Discord Markdown, plain) or the file's caption.</summary>
    public required string Text { get; init; }
    /// <summary>The same content as plain text, used if the platform rejects the formatted text.</summary>
    public string? PlainText { get; init; }
    public string? FileName { get; init; }
    /// <summary>File content (UTF-8 text) for <see cref="PartKind.File"/>.</summary>
    public string? FileContent { get; init; }
    public IReadOnlyList<IReadOnlyList<ChatButton>> Buttons { get; init; } = [];
}

public enum SendStatus { Delivered, Transient, Permanent, Unauthorized }

/// <summary>
/// The platform's answer: delivered (with its message id), a transient failure (retry, optionally
/// after <see cref="RetryAfter"/>), a permanent one (do not retry; e.g. bot removed from chat), or the
/// platform refused the bot's token (the item waits, neither failed nor retried, until the token works).
/// </summary>
public sealed record SendResult(SendStatus Status, string? MessageId, string? Error, TimeSpan? RetryAfter = null)
{
    public static SendResult Delivered(string messageId) => new(SendStatus.Delivered, messageId, null);
    public static SendResult Transient(string error, TimeSpan? retryAfter = null) => new(SendStatus.Transient, null, error, retryAfter);
    public static SendResult Permanent(string error) => new(SendStatus.Permanent, null, error);
    public static SendResult Unauthorized(string error) => new(SendStatus.Unauthorized, null, error);
}
