using HandsBot.Core.Model;
using HandsBot.Core.Storage;

namespace HandsBot.Storage.Sqlite.Tests.Support;

/// <summary>Record builders with every field filled, so round-trip tests cover every column.</summary>
internal static class Samples
{
    /// <summary>Millisecond-precise, and on a DST change day in Europe, to catch local-time mistakes.</summary>
    public static readonly DateTimeOffset T0 = new(2026, 3, 29, 0, 59, 59, 123, TimeSpan.Zero);

    public static HandIndexEntry Hand(string name = "oracle", string hash = "hash-1", bool enabled = true, bool valid = true) =>
        new(name, $"/hands/{name}", $$"""{"name":"{{name}}"}""", hash, enabled, valid, """[{"message":"none"}]""");

    public static ExecutionRecord Execution(string id, string hand = "oracle", DateTimeOffset? startedAt = null) => new()
    {
        Id = id,
        Hand = hand,
        Trigger = RunTrigger.Manual,
        StartedAt = startedAt ?? T0,
        RequestedBy = "telegram:42",
    };

    public static ExecutionRecord FullExecution(string id) => new()
    {
        Id = id,
        Hand = "oracle",
        Trigger = RunTrigger.Approval,
        StartedAt = T0,
        CompletedAt = T0.AddSeconds(3.456),
        ScheduledFor = T0.AddMinutes(-1),
        Outcome = ExecutionOutcome.ApprovalPending,
        Output = "# Report\nünïcode ✓",
        Error = "exit 3",
        Stderr = "warning: x",
        Files = ["out/a.txt", "out/b.json"],
        ParentId = "parent-1",
        RequestedBy = "discord:7",
        Prompt = "You are the oracle.",
        State = """{"messages":[]}""",
    };

    public static ApprovalRecord Approval(string id, string reference, string executionId = "exec-1", DateTimeOffset? createdAt = null) => new()
    {
        Id = id,
        Reference = reference,
        Hand = "oracle",
        ExecutionId = executionId,
        Gate = "publish",
        Action = "broadcast",
        Description = "Post the report",
        Summary = "Wants to post the daily report.",
        ContextJson = """{"output":"hello"}""",
        CreatedAt = createdAt ?? T0,
        ExpiresAt = T0.AddHours(24),
        AutoApproveAt = T0.AddMinutes(30),
    };

    public static OutboxItem Outbox(string key, string chat = "100", string? thread = null, DateTimeOffset? nextAttemptAt = null, string? executionId = "exec-1") => new()
    {
        IdempotencyKey = key,
        Platform = "telegram",
        ChatId = chat,
        ThreadId = thread,
        Kind = OutboxKind.Send,
        PayloadJson = $$"""{"text":"{{key}}"}""",
        CreatedAt = T0,
        NextAttemptAt = nextAttemptAt ?? T0,
        ExecutionId = executionId,
    };
}
