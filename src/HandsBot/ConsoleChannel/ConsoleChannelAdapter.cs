using System.Globalization;
using System.Text;
using HandsBot.Core.Delivery;
using HandsBot.Core.Model;
using HandsBot.Rendering;

namespace HandsBot.ConsoleChannel;

/// <summary>
/// The console as a channel: deliveries print to stdout as framed plain text, buttons as the
/// commands that do the same thing. Message ids are "number@session": the outbox keeps them across
/// restarts, so an edit of a message printed by an earlier run says so instead of reusing its number.
/// </summary>
internal sealed class ConsoleChannelAdapter : IChannel
{
    public static readonly ChannelTarget Target = new(DeliveryRouter.Console, DeliveryRouter.Console);

    private readonly ConsoleIO _io;
    private readonly TimeProvider _time;
    private readonly string _session;
    private readonly TaskCompletionSource<string?> _activated = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private long _nextId;

    /// <param name="io">stdin/stdout.</param>
    /// <param name="time">For the time shown on each message, and this session's tag.</param>
    /// <param name="active">False on standby: no default target and no input until <see cref="Activate"/>.</param>
    public ConsoleChannelAdapter(ConsoleIO io, TimeProvider time, bool active = true)
    {
        _io = io;
        _time = time;
        // Unique per start, short enough to read: base-36 seconds since 2020 (changes every second).
        var seconds = (long)(time.GetUtcNow() - new DateTimeOffset(2020, 1, 1, 0, 0, 0, TimeSpan.Zero)).TotalSeconds;
        _session = ToBase36(Math.Max(0, seconds));
        if (active) _activated.TrySetResult(null);
    }

    public string Platform => DeliveryRouter.Console;

    /// <summary>The console itself, once it is on.</summary>
    public ChannelTarget? DefaultTarget => IsActive ? Target : null;

    public bool IsActive => _activated.Task.IsCompleted;

    /// <summary>Completes when the console is on, with why it came on late (null when on from the start).</summary>
    public Task<string?> Activated => _activated.Task;

    /// <summary>Switches a console on standby on; false when it already was.</summary>
    public bool Activate(string reason) => _activated.TrySetResult(reason);

    private const int MaxShownChars = 1 << 20;

    public IReadOnlyList<OutboundPart> Render(OutgoingContent content)
    {
        // The console has no length limit worth splitting for: one part, whole up to a screenful of
        // screenfuls; past that a terminal is no place to read it, and rendering it would cost memory.
        var source = content.Text;
        var cutNote = "";
        if (source.Length > MaxShownChars)
        {
            var cut = source.LastIndexOf('\n', MaxShownChars - 1);
            cutNote = string.Create(CultureInfo.InvariantCulture, $"\n… {source.Length - (cut > 0 ? cut : MaxShownChars):N0} more characters not shown on the console; the run's record keeps the output (/output).");
            source = source[..(cut > 0 ? cut : MaxShownChars)];
        }
        var result = ChatRenderer.Render(source, ToSource(content.Format), RenderTarget.PlainText, new RenderOptions { Title = content.Title, MaxLength = int.MaxValue, MaxParts = int.MaxValue });
        var text = string.Join("\n", result.Parts) + cutNote;
        return [new OutboundPart { Text = text, PlainText = text, Buttons = content.Buttons }];
    }

    public Task<SendResult> SendAsync(ChannelTarget target, OutboundPart part, string idempotencyKey, CancellationToken ct)
    {
        var number = Interlocked.Increment(ref _nextId).ToString(CultureInfo.InvariantCulture);
        _io.WriteBlock(Frame($"message {number}", part));
        return Task.FromResult(SendResult.Delivered($"{number}@{_session}"));
    }

    public Task<SendResult> EditAsync(ChannelTarget target, string messageId, OutboundPart part, CancellationToken ct)
    {
        var at = messageId.IndexOf('@', StringComparison.Ordinal);
        var what = at > 0 && messageId[(at + 1)..] == _session
            ? $"update of message {messageId[..at]}"
            : $"update of message {(at > 0 ? messageId[..at] : messageId)} from an earlier session";
        _io.WriteBlock(Frame(what, part));
        return Task.FromResult(SendResult.Delivered(messageId));
    }

    private static string ToBase36(long value)
    {
        const string digits = "0123456789abcdefghijklmnopqrstuvwxyz";
        var text = new System.Text.StringBuilder();
        do
        {
            text.Insert(0, digits[(int)(value % 36)]);
            value /= 36;
        }
        while (value > 0);
        return text.ToString();
    }

    private string Frame(string what, OutboundPart part)
    {
        var text = new StringBuilder();
        text.Append(CultureInfo.InvariantCulture, $"──── {what} · {_time.GetUtcNow():yyyy-MM-dd HH:mm:ss} UTC ────\n");
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
