using System.Collections.Concurrent;
using HandsBot.Core.Chat;

namespace HandsBot.Telegram.Tests.Fakes;

/// <summary>Records every command and tap and answers with scripted replies.</summary>
public sealed class FakeChatCommandService : IChatCommandService
{
    private readonly ConcurrentQueue<ChatCommand> _commands = new();
    private readonly ConcurrentQueue<ButtonTap> _taps = new();

    public IReadOnlyList<CommandInfo> Commands { get; set; } =
    [
        new("hands", "/hands", "List hands", false),
        new("run", "/run <hand>", "Run a hand now", true),
        new("pause", "/pause <hand>", "Pause a hand", true),
        new("resume", "/resume <hand>", "Resume a hand", true),
        new("status", "/status <hand>", "Show a hand's status", true),
        new("history", "/history <hand>", "Show recent runs", true),
        new("approvals", "/approvals", "List pending approvals", false),
        new("approve", "/approve <ref>", "Approve a request", false),
        new("reject", "/reject <ref>", "Reject a request", false),
        new("help", "/help", "Show help", false),
    ];

    /// <summary>The reply to a command; by default echoes "ok /name args".</summary>
    public Func<ChatCommand, ChatReply> OnCommand { get; set; } = c => new ChatReply { Markdown = $"ok /{c.Name} {string.Join(' ', c.Args)}".TrimEnd() };

    /// <summary>Awaited before each command is answered (tests use it to hold a command mid-handling).</summary>
    public Func<ChatCommand, CancellationToken, Task>? BeforeReply { get; set; }

    public Func<ButtonTap, ButtonReply> OnButton { get; set; } = t => new ButtonReply { Toast = "Done" };

    public IReadOnlyList<ChatCommand> ReceivedCommands => [.. _commands];
    public IReadOnlyList<ButtonTap> ReceivedTaps => [.. _taps];

    public async Task<ChatReply> HandleCommandAsync(ChatCommand command, CancellationToken ct = default)
    {
        _commands.Enqueue(command);
        if (BeforeReply is { } hold) await hold(command, ct);
        return OnCommand(command);
    }

    public Task<ButtonReply> HandleButtonAsync(ButtonTap tap, CancellationToken ct = default)
    {
        _taps.Enqueue(tap);
        return Task.FromResult(OnButton(tap));
    }

    public Task<IReadOnlyList<string>> CompleteHandNamesAsync(string prefix, int max, CancellationToken ct = default) =>
        Task.FromResult<IReadOnlyList<string>>([]);
}
