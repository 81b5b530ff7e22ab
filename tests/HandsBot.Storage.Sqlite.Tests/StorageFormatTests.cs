using HandsBot.Core.Model;
using HandsBot.Core.Storage;
using HandsBot.Storage.Sqlite.Mapping;
using HandsBot.Storage.Sqlite.Tests.Support;

namespace HandsBot.Storage.Sqlite.Tests;

/// <summary>How values look on disk: snake_case enum text and UTC unix milliseconds.</summary>
public sealed class StorageFormatTests
{
    [Theory]
    [InlineData(ExecutionOutcome.ApprovalPending, "approval_pending")]
    [InlineData(ExecutionOutcome.Success, "success")]
    [InlineData(ExecutionOutcome.Missed, "missed")]
    public void SnakeCaseEnum_ConvertsBothWays(ExecutionOutcome value, string text)
    {
        Assert.Equal(text, SnakeCaseEnum<ExecutionOutcome>.ToText(value));
        Assert.Equal(value, SnakeCaseEnum<ExecutionOutcome>.FromText(text));
    }

    [Fact]
    public void SnakeCaseEnum_RoundTripsEveryMemberOfEveryStoredEnum()
    {
        AssertRoundTrip<ExecutionOutcome>();
        AssertRoundTrip<RunTrigger>();
        AssertRoundTrip<RunState>();
        AssertRoundTrip<ApprovalStatus>();
        AssertRoundTrip<OutboxKind>();
        AssertRoundTrip<OutboxStatus>();
        Assert.Equal("auto_approved", SnakeCaseEnum<ApprovalStatus>.ToText(ApprovalStatus.AutoApproved));
    }

    [Theory]
    [InlineData("ApprovalPending")]
    [InlineData("")]
    [InlineData("exploded")]
    public void SnakeCaseEnum_ThrowsInvalidData_WhenTextIsUnknown(string text)
    {
        var error = Assert.Throws<InvalidDataException>(() => SnakeCaseEnum<ExecutionOutcome>.FromText(text));

        Assert.Contains(nameof(ExecutionOutcome), error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void SnakeCaseEnum_ThrowsArgumentOutOfRange_WhenValueIsUndefined()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => SnakeCaseEnum<ExecutionOutcome>.ToText((ExecutionOutcome)99));
    }

    [Fact]
    public async Task Enums_AreStoredAsSnakeCaseText()
    {
        var (db, store) = await TempDatabase.CreateMigratedAsync();
        await using var _ = db;
        await store.InsertExecutionAsync(Samples.Run("e1") with { RunState = RunState.Done, Outcome = ExecutionOutcome.ApprovalPending, Trigger = RunTrigger.Schedule });
        await store.AdmitAsync(new AdmissionBatch([new RunAdmission(Samples.Run("e2"), null)], Samples.T0));
        await store.EnqueueAsync([Samples.Message("k1") with { Kind = OutboxKind.File }]);

        Assert.Equal("approval_pending", db.Scalar("SELECT outcome FROM executions WHERE id = 'e1';"));
        Assert.Equal("schedule", db.Scalar("SELECT trigger FROM executions WHERE id = 'e1';"));
        Assert.Equal("done", db.Scalar("SELECT run_state FROM executions WHERE id = 'e1';"));
        Assert.Equal("ready", db.Scalar("SELECT run_state FROM executions WHERE id = 'e2';"));
        Assert.Equal("file", db.Scalar("SELECT kind FROM outbox;"));
        Assert.Equal("pending", db.Scalar("SELECT status FROM outbox;"));
    }

    [Fact]
    public async Task Reads_ThrowInvalidData_WhenStoredEnumTextIsUnknown()
    {
        var (db, store) = await TempDatabase.CreateMigratedAsync();
        await using var _ = db;
        await store.InsertExecutionAsync(Samples.Run("e1"));
        db.Execute("UPDATE executions SET trigger = 'telepathy';");

        var error = await Assert.ThrowsAsync<InvalidDataException>(() => store.GetExecutionAsync("e1"));

        Assert.Contains("telepathy", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Timestamps_AreStoredAsUtcUnixMilliseconds_AndReadBackAsUtc()
    {
        var (db, store) = await TempDatabase.CreateMigratedAsync();
        await using var _ = db;
        var local = new DateTimeOffset(2026, 10, 25, 2, 30, 0, 456, TimeSpan.FromHours(2));
        await store.InsertExecutionAsync(Samples.Run("e1", at: local));

        var stored = db.Scalar("SELECT started_at FROM executions;");
        var read = (await store.GetExecutionAsync("e1"))!.StartedAt;

        Assert.Equal(local.ToUnixTimeMilliseconds(), stored);
        Assert.Equal(local, read);
        Assert.Equal(TimeSpan.Zero, read.Offset);
        Assert.Equal(local.UtcDateTime, read.UtcDateTime);
    }

    [Fact]
    public async Task DecidedPayloads_AreStoredAsJsonPerPlatform()
    {
        var (db, store) = await TempDatabase.CreateMigratedAsync();
        await using var _ = db;
        await store.AdmitAsync(new AdmissionBatch([new RunAdmission(Samples.Run("r1"), null)], Samples.T0));
        var claimed = Assert.Single(await store.ClaimAsync(new RunClaim("w1", Samples.T0, Samples.T0.AddMinutes(1), 1)));
        await store.FinishAsync(new RunFinish
        {
            Id = "r1", Attempt = claimed.Attempt, Owner = "w1", Hand = "oracle", Outcome = ExecutionOutcome.ApprovalPending,
            Counted = ExecutionOutcome.Success, CompletedAt = Samples.T0,
            Approvals = [new ApprovalRecord { Id = "a1", Reference = "R1", Hand = "oracle", ExecutionId = "r1", Gate = "g", Action = "a", CreatedAt = Samples.T0 }],
        });

        await store.DecideApprovalAsync(new ApprovalDecision
        {
            ApprovalId = "a1", Status = ApprovalStatus.AutoApproved, DecidedBy = "auto", At = Samples.T0,
            DecidedPayloads = new Dictionary<string, string> { ["telegram"] = """{"text":"ok ✓"}""" },
        });

        Assert.Equal("auto_approved", db.Scalar("SELECT status FROM approvals;"));
        using var payloads = System.Text.Json.JsonDocument.Parse((string)db.Scalar("SELECT decided_payloads FROM approvals;")!);
        Assert.Equal("""{"text":"ok ✓"}""", payloads.RootElement.GetProperty("telegram").GetString());
    }

    [Theory]
    [InlineData(0L)]
    [InlineData(1L)]
    [InlineData(1774745999123L)]
    [InlineData(253402300799999L)] // 9999-12-31T23:59:59.999Z
    public async Task Timestamps_RoundTripExactlyToTheMillisecond(long ms)
    {
        var (db, store) = await TempDatabase.CreateMigratedAsync();
        await using var _ = db;
        var at = DateTimeOffset.FromUnixTimeMilliseconds(ms);
        await store.AppendAuditAsync(new AuditEntry(at, "u", "a", "w", true, null));

        Assert.Equal(at, (await store.ListAuditAsync(1))[0].At);
        Assert.Equal(ms, db.Scalar("SELECT at FROM audit_log;"));
    }

    [Fact]
    public void UnixTime_TruncatesSubMillisecondTicks()
    {
        var at = Samples.T0.AddTicks(9_999);

        Assert.Equal(Samples.T0, UnixTime.FromMs(UnixTime.ToMs(at)));
    }

    private static void AssertRoundTrip<T>()
        where T : struct, Enum
    {
        var texts = Enum.GetValues<T>().Select(SnakeCaseEnum<T>.ToText).ToList();
        Assert.Equal(texts.Count, texts.Distinct(StringComparer.Ordinal).Count());
        Assert.All(texts, t => Assert.Matches("^[a-z]+(_[a-z]+)*$", t));
        Assert.Equal(Enum.GetValues<T>(), texts.Select(SnakeCaseEnum<T>.FromText));
    }
}
