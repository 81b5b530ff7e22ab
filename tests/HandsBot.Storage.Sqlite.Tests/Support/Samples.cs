using HandsBot.Core.Model;
using HandsBot.Core.Storage;

namespace HandsBot.Storage.Sqlite.Tests.Support;

/// <summary>Small rows for the SQLite-specific tests (the contract tests cover every field).</summary>
internal static class Samples
{
    /// <summary>Millisecond-precise, and on a DST change day in Europe, to catch local-time mistakes.</summary>
    public static readonly DateTimeOffset T0 = new(2026, 3, 29, 0, 59, 59, 123, TimeSpan.Zero);

    public static HandIndexEntry Hand(string name = "oracle") =>
        new(name, $"/hands/{name}", $$"""{"name":"{{name}}"}""", "hash-1", true, true, "[]");

    public static ExecutionRecord Run(string id, string hand = "oracle", DateTimeOffset? at = null) => new()
    {
        Id = id,
        Hand = hand,
        Trigger = RunTrigger.Manual,
        StartedAt = at ?? T0,
        RequestedAt = at ?? T0,
        RunState = RunState.Ready,
    };

    public static OutboxItem Message(string key, string chat = "100", string? executionId = null) => new()
    {
        IdempotencyKey = key,
        Platform = "telegram",
        ChatId = chat,
        Kind = OutboxKind.Send,
        PayloadJson = $$"""{"text":"{{key}}"}""",
        CreatedAt = T0,
        NextAttemptAt = T0,
        ExecutionId = executionId,
    };

    /// <summary>Admits, claims and finishes a run: one committed run with its count and message.</summary>
    public static async Task<ExecutionRecord> RunToEndAsync(IHandsStore store, string id, string hand = "oracle", string? output = null)
    {
        await store.AdmitAsync(new AdmissionBatch([new RunAdmission(Run(id, hand), null)], T0));
        var claimed = Assert.Single(await store.ClaimAsync(new RunClaim("w1", T0, T0.AddMinutes(1), 1) { OnlyId = id }));
        Assert.True(await store.FinishAsync(new RunFinish
        {
            Id = id,
            Attempt = claimed.Attempt,
            Owner = "w1",
            Hand = hand,
            Outcome = ExecutionOutcome.Success,
            Counted = ExecutionOutcome.Success,
            CompletedAt = T0.AddSeconds(1),
            Output = output ?? "output of " + id,
            Outbox = [Message(id + ":telegram:100:0", executionId: id)],
        }));
        return (await store.GetExecutionAsync(id))!;
    }
}
