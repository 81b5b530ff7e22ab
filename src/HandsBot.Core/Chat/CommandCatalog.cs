using HandsBot.Core.Access;

namespace HandsBot.Core.Chat;

/// <summary>Every chat command, with what it needs from the caller. /help needs nothing.</summary>
internal static class CommandCatalog
{
    public sealed record Spec(CommandInfo Info, CommandPermission? Needs);

    public static IReadOnlyList<Spec> All { get; } =
    [
        new(new("hands", "/hands [page]", "List every hand with its state, schedule and next run", false), CommandPermission.View),
        new(new("run", "/run <hand>", "Run a hand now", true), CommandPermission.Operate),
        new(new("pause", "/pause <hand>", "Pause a hand's schedule", true), CommandPermission.Operate),
        new(new("resume", "/resume <hand>", "Resume a paused hand", true), CommandPermission.Operate),
        new(new("status", "/status <hand>", "A hand's schedule, next runs, recent outcomes and problems", true), CommandPermission.View),
        new(new("history", "/history <hand> [n]", "A hand's last n runs (default 10, at most 50)", true), CommandPermission.View),
        new(new("output", "/output <run id>", "The full output of a run (a unique prefix of its id is enough)", false), CommandPermission.View),
        new(new("approvals", "/approvals", "Approvals waiting for a decision", false), CommandPermission.View),
        new(new("approve", "/approve <reference>", "Approve a waiting action (a unique prefix is enough)", false), CommandPermission.Operate),
        new(new("reject", "/reject <reference>", "Reject a waiting action (a unique prefix is enough)", false), CommandPermission.Operate),
        new(new("help", "/help", "The commands you may use", false), null),
    ];

    public static IReadOnlyList<CommandInfo> Infos { get; } = [.. All.Select(s => s.Info)];

    public static Spec? Find(string name) =>
        All.FirstOrDefault(s => string.Equals(s.Info.Name, name, StringComparison.Ordinal));
}
