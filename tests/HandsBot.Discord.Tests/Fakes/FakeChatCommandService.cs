using System.Collections.Concurrent;
using HandsBot.Core.Chat;
using HandsBot.Core.Delivery;

namespace HandsBot.Discord.Tests.Fakes;

/// <summary>Records every command, tap and completion; answers with configurable functions.</summary>
public sealed class FakeChatCommandService : IChatCommandService
{
    /// <summary>The command set as the real ChatCommandService (branch chat) declares it.</summary>
    public static readonly IReadOnlyList<CommandInfo> Standard =
    [
        new("hands", "/hands [page]", "List every hand with its state, schedule and next run", false),
        new("run", "/run <hand>", "Run a hand now", true),
        new("pause", "/pause <hand>", "Pause a hand's schedule", true),
        new("resume", "/resume <hand>", "Resume a paused hand", true),
        new("status", "/status <hand>", "A hand's schedule, next runs, recent outcomes and problems", true),
        new("history", "/history <hand> [n]", "A hand's last n runs (default 10, at most 50)", true),
        new("output", "/output <run id>", "The full output of a run (a unique prefix of its id is enough)", false),
        new("approvals", "/approvals", "Approvals waiting for a decision", false),
        new("approve", "/approve <reference>", "Approve a waiting action (a unique prefix is enough)", false),
        new("reject", "/reject <reference>", "Reject a waiting action (a unique prefix is enough)", false),
        new("help", "/help", "The commands you may use", false),
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
