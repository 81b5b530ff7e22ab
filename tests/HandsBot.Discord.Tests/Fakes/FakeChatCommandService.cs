using System.Collections.Concurrent;
using HandsBot.Core.Chat;
using HandsBot.Core.Delivery;

namespace HandsBot.Discord.Tests.Fakes;

/// <summary>Records every command, tap and completion; answers with configurable functions.</summary>
public sealed class FakeChatCommandService : IChatCommandService
{
    public static readonly IReadOnlyList<CommandInfo> Standard =
    [
        new("hands", "/hands", "List hands and their state", false),
        new("run", "/run <hand>", "Run a hand now", true),
        new("pause", "/pause <hand>", "Pause a hand's schedule", true),
        new("resume", "/resume <hand>", "Resume a hand's schedule", true),
        new("status", "/status [hand]", "Show status", true),
        new("history", "/history <hand> [count]", "Recent runs of a hand", true),
        new("approvals", "/approvals", "Pending approvals", false),
        new("approve", "/approve <id> [note]", "Approve a pending action", false),
        new("reject", "/reject <id> [reason]", "Reject a pending action", false),
        new("help", "/help", "What HandsBot can do", false),
    ];

    public IReadOnlyList<CommandInfo> Commands { get; set; } = Standard;
    public Journal<ChatCommand> CommandCalls { get; } = new();
    public Journal<ButtonTap> Taps { get; } = new();
    public ConcurrentQueue<string> Completions { get; } = new();
    public IReadOnlyList<string> HandNames { get; set; } = ["briefing", "backup", "oracle"];

    public Func<ChatCommand, Task<ChatReply>> OnCommand { get; set; } =
        c => Task.FromResult(new ChatReply { Markdown = $"**{c.Name}** {string.Join(' ', c.Args)}" });

    public Func<ButtonTap, Task<ButtonReply>> OnButton { get; set; } =
        t => Task.FromResult(new ButtonReply { Toast = "ok", UpdatedMessage = new ChatReply { Markdown = $"tapped {t.ButtonId}" } });

    public async Task<ChatReply> HandleCommandAsync(ChatCommand command, CancellationToken ct = default)
    {
        CommandCalls.Add(command);
        return await OnCommand(command);
    }

    public async Task<ButtonReply> HandleButtonAsync(ButtonTap tap, CancellationToken ct = default)
    {
        Taps.Add(tap);
        return await OnButton(tap);
    }

    public Task<IReadOnlyList<string>> CompleteHandNamesAsync(string prefix, int max, CancellationToken ct = default)
    {
        Completions.Enqueue(prefix);
        IReadOnlyList<string> matches = HandNames.Where(n => n.StartsWith(prefix, StringComparison.OrdinalIgnoreCase)).Take(max).ToList();
        return Task.FromResult(matches);
    }

    public static ChatButton Approve(string id) => new("Approve", $"approve:{id}", ButtonStyle.Success);
    public static ChatButton Reject(string id) => new("Reject", $"reject:{id}", ButtonStyle.Danger);
}
