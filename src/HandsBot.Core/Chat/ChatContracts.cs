using HandsBot.Core.Access;
using HandsBot.Core.Delivery;

namespace HandsBot.Core.Chat;

/// <summary>A slash command, already split into name and arguments by the adapter.</summary>
public sealed record ChatCommand(ChatUser User, ChatPlace Place, string Name, IReadOnlyList<string> Args);

/// <summary>A button tap with the button's id as sent.</summary>
public sealed record ButtonTap(ChatUser User, ChatPlace Place, string ButtonId, string? MessageId);

/// <summary>The answer to a command: content to show, buttons, and whether only the caller should see it.</summary>
public sealed record ChatReply
{
    public required string Markdown { get; init; }
    public IReadOnlyList<IReadOnlyList<ChatButton>> Buttons { get; init; } = [];
    /// <summary>Show only to the caller (ephemeral on Discord; on Telegram a reply in the same chat).</summary>
    public bool Private { get; init; }
    /// <summary>Set when the request was refused (not authorised or bad input).</summary>
    public bool IsRefusal { get; init; }
}

/// <summary>The answer to a button tap.</summary>
public sealed record ButtonReply
{
    /// <summary>Short toast text ("Approved", "Not allowed").</summary>
    public required string Toast { get; init; }
    /// <summary>When set, the tapped message is replaced by this (buttons removed unless given).</summary>
    public ChatReply? UpdatedMessage { get; init; }
    /// <summary>When set, an extra private answer for the tapper (ephemeral on Discord).</summary>
    public ChatReply? PrivateReply { get; init; }
    public bool IsRefusal { get; init; }
}

public sealed record CommandInfo(string Name, string Usage, string Description, bool TakesHand);

/// <summary>The platform-neutral command set: every adapter translates into and out of this.</summary>
public interface IChatCommandService
{
    IReadOnlyList<CommandInfo> Commands { get; }
    Task<ChatReply> HandleCommandAsync(ChatCommand command, CancellationToken ct = default);
    Task<ButtonReply> HandleButtonAsync(ButtonTap tap, CancellationToken ct = default);
    /// <summary>Hand names matching what the user typed so far, best first.</summary>
    Task<IReadOnlyList<string>> CompleteHandNamesAsync(string prefix, int max, CancellationToken ct = default);
}
