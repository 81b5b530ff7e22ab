using HandsBot.Core.Model;
using HandsBot.Core.Storage;

namespace HandsBot.Storage.Tests.Contracts;

/// <summary>Row builders: the smallest valid rows, to be extended with <c>with</c> where a test cares.</summary>
internal static class Rows
{
    /// <summary>Millisecond-precise (stores keep milliseconds), on a DST change day in Europe, to catch local-time mistakes.</summary>
    public static readonly DateTimeOffset T0 = new(2026, 3, 29, 0, 59, 59, 123, TimeSpan.Zero);

    public const string Hand = "oracle";

    public static HandIndexEntry HandEntry(string name = Hand, string hash = "hash-1", bool enabled = true, bool valid = true) =>
        new(name, $"/hands/{name}", $$"""{"name":"{{name}}"}""", hash, enabled, valid, """[{"message":"none"}]""");

    /// <summary>A run to admit, requested at <paramref name="requestedAt"/> (default <see cref="T0"/>).</summary>
    public static ExecutionRecord Run(string id, string hand = Hand, RunTrigger trigger = RunTrigger.Manual, DateTimeOffset? requestedAt = null) => new()
    {
        Id = id,
        Hand = hand,
        Trigger = trigger,
        StartedAt = requestedAt ?? T0,
        RequestedAt = requestedAt ?? T0,
        RunState = RunState.Ready,
    };

    /// <summary>A scheduled run for one schedule slot.</summary>
    public static ExecutionRecord Slot(string id, DateTimeOffset slot, string hand = Hand) =>
        Run(id, hand, RunTrigger.Schedule, slot) with { ScheduledFor = slot };

    /// <summary>A finished record with every column filled, for round trips.</summary>
    public static ExecutionRecord FullRecord(string id) => new()
    {
        Id = id,
        Hand = Hand,
        Trigger = RunTrigger.Approval,
        StartedAt = T0,
        RequestedAt = T0.AddSeconds(-2),
        CompletedAt = T0.AddSeconds(3.456),
        ScheduledFor = T0.AddMinutes(-1),
        Outcome = ExecutionOutcome.ApprovalPending,
        RunState = RunState.Done,
        Output = "# Report\nünïcode ✓",
        Error = "exit 3",
        Stderr = "warning: x",
        Files = ["out/a.txt", "out/b.json"],
        ParentId = "parent-1",
        RequestedBy = "discord:7",
        Prompt = "You are the oracle.",
        State = """{"messages":[]}""",
        ReplyTo = "telegram:100:7",
        ApprovalId = "appr-" + id,
        DeliveryId = "delivery-" + id,
        Attempt = 2,
        Owner = "host/123",
        LeaseUntil = T0.AddMinutes(1),
        AliveAt = T0.AddSeconds(3),
        Pid = 4242,
        PidStartTime = 987654321,
        CancelRequested = true,
        OutputTruncated = true,
    };

    public static ApprovalRecord Approval(string id, string executionId, string? reference = null, DateTimeOffset? createdAt = null, string hand = Hand) => new()
    {
        Id = id,
        Reference = reference ?? "R" + id,
        Hand = hand,
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

    public static OutboxItem Message(
        string key,
        string chat = "100",
        string platform = "telegram",
        string? thread = null,
        DateTimeOffset? nextAttemptAt = null,
        string? executionId = null) => new()
        {
            IdempotencyKey = key,
            Platform = platform,
            ChatId = chat,
            ThreadId = thread,
            Kind = OutboxKind.Send,
            PayloadJson = $$"""{"text":"{{key}}"}""",
            CreatedAt = T0,
            NextAttemptAt = nextAttemptAt ?? T0,
            ExecutionId = executionId,
        };

    /// <summary>The message that shows an approval request in one chat; once delivered, the decision edits it.</summary>
    public static OutboxItem Request(string approvalId, string platform, string chat, string? executionId = null) =>
        Message($"approval:{approvalId}:request:{platform}:{chat}", chat, platform, executionId: executionId) with
        {
            ApprovalId = approvalId,
            IsApprovalRequest = true,
        };
}
