using HandsBot.Core.Model;
using HandsBot.Core.Storage;
using HandsBot.Storage.Sqlite.Tests.Support;

namespace HandsBot.Storage.Sqlite.Tests;

public sealed class HandStoreTests
{
    [Fact]
    public async Task UpsertHandAsync_InsertsEveryIndexField_WhenHandIsNew()
    {
        var (db, store) = await TempDatabase.CreateMigratedAsync();
        await using var _ = db;
        var entry = Samples.Hand(enabled: false, valid: false);

        await store.UpsertHandAsync(entry);

        var row = await store.GetHandAsync("oracle");
        Assert.Equal(
            new HandRow
            {
                Name = entry.Name,
                Directory = entry.Directory,
                ManifestJson = entry.ManifestJson,
                ContentHash = entry.ContentHash,
                Enabled = false,
                Valid = false,
                ProblemsJson = entry.ProblemsJson,
                UpdatedAt = Samples.T0,
            },
            row);
    }

    [Fact]
    public async Task UpsertHandAsync_KeepsPausedNextDueCountersAndLastError_WhenHandExists()
    {
        var (db, store) = await TempDatabase.CreateMigratedAsync();
        await using var _ = db;
        await store.UpsertHandAsync(Samples.Hand());
        await store.SetPausedAsync("oracle", true);
        await store.SetNextDueAsync("oracle", Samples.T0.AddHours(1));
        await store.RecordRunAsync("oracle", ExecutionOutcome.Success, null, Samples.T0);
        await store.RecordRunAsync("oracle", ExecutionOutcome.Failure, "exit 1", Samples.T0.AddMinutes(5));
        db.Time.Advance(TimeSpan.FromMinutes(10));

        await store.UpsertHandAsync(Samples.Hand(hash: "hash-2", enabled: false) with { Directory = "/moved/oracle", ManifestJson = "{\"v\":2}", ProblemsJson = "[]" });

        var row = await store.GetHandAsync("oracle");
        Assert.NotNull(row);
        Assert.Equal("hash-2", row.ContentHash);
        Assert.Equal("/moved/oracle", row.Directory);
        Assert.Equal("{\"v\":2}", row.ManifestJson);
        Assert.Equal("[]", row.ProblemsJson);
        Assert.False(row.Enabled);
        Assert.True(row.Paused);
        Assert.Equal(Samples.T0.AddHours(1), row.NextDueAt);
        Assert.Equal(Samples.T0.AddMinutes(5), row.LastRunAt);
        Assert.Equal(new HandCounters(2, 1, 1), row.Counters);
        Assert.Equal("exit 1", row.LastError);
        Assert.Equal(Samples.T0.AddMinutes(10), row.UpdatedAt);
    }

    [Fact]
    public async Task RemoveHandAsync_KeepsExecutionsApprovalsAndOutbox()
    {
        var (db, store) = await TempDatabase.CreateMigratedAsync();
        await using var _ = db;
        await store.UpsertHandAsync(Samples.Hand());
        await store.InsertExecutionAsync(Samples.Execution("exec-1"));
        await store.InsertApprovalAsync(Samples.Approval("appr-1", "R1"));
        await store.AddApprovalMessageAsync(new ApprovalMessage("appr-1", "telegram", "100", null, "9"));
        await store.EnqueueAsync(Samples.Outbox("k1"));

        await store.RemoveHandAsync("oracle");

        Assert.Null(await store.GetHandAsync("oracle"));
        Assert.Empty(await store.ListHandsAsync());
        Assert.Single(await store.ListExecutionsAsync("oracle", 10));
        Assert.NotNull(await store.GetApprovalAsync("appr-1"));
        Assert.Single(await store.ListApprovalMessagesAsync("appr-1"));
        Assert.Single(await store.ListOutboxForExecutionAsync("exec-1"));
    }

    [Fact]
    public async Task RemoveHandAsync_DoesNothing_WhenHandIsUnknown()
    {
        var (db, store) = await TempDatabase.CreateMigratedAsync();
        await using var _ = db;
        await store.UpsertHandAsync(Samples.Hand("a"));

        await store.RemoveHandAsync("b");

        Assert.Single(await store.ListHandsAsync());
    }

    [Fact]
    public async Task ListHandsAsync_ReturnsHandsOrderedByName()
    {
        var (db, store) = await TempDatabase.CreateMigratedAsync();
        await using var _ = db;
        foreach (var name in new[] { "zeta", "alpha", "mid" })
        {
            await store.UpsertHandAsync(Samples.Hand(name));
        }

        var names = (await store.ListHandsAsync()).Select(h => h.Name);

        Assert.Equal(["alpha", "mid", "zeta"], names);
    }

    [Fact]
    public async Task SetPausedAsync_TogglesFlagAndStampsUpdatedAt()
    {
        var (db, store) = await TempDatabase.CreateMigratedAsync();
        await using var _ = db;
        await store.UpsertHandAsync(Samples.Hand());
        db.Time.Advance(TimeSpan.FromSeconds(30));

        await store.SetPausedAsync("oracle", true);
        var paused = await store.GetHandAsync("oracle");
        await store.SetPausedAsync("oracle", false);
        var resumed = await store.GetHandAsync("oracle");

        Assert.True(paused!.Paused);
        Assert.Equal(Samples.T0.AddSeconds(30), paused.UpdatedAt);
        Assert.False(resumed!.Paused);
    }

    [Fact]
    public async Task SetNextDueAsync_StoresAndClearsTheTime()
    {
        var (db, store) = await TempDatabase.CreateMigratedAsync();
        await using var _ = db;
        await store.UpsertHandAsync(Samples.Hand());
        var due = new DateTimeOffset(2026, 10, 25, 3, 0, 0, 999, TimeSpan.FromHours(2));

        await store.SetNextDueAsync("oracle", due);
        var set = (await store.GetHandAsync("oracle"))!.NextDueAt;
        await store.SetNextDueAsync("oracle", null);
        var cleared = (await store.GetHandAsync("oracle"))!.NextDueAt;

        Assert.Equal(due, set);
        Assert.Equal(TimeSpan.Zero, set!.Value.Offset);
        Assert.Null(cleared);
    }

    [Theory]
    [InlineData(ExecutionOutcome.Success, 1, 0)]
    [InlineData(ExecutionOutcome.Failure, 0, 1)]
    [InlineData(ExecutionOutcome.Timeout, 0, 1)]
    [InlineData(ExecutionOutcome.Interrupted, 0, 1)]
    public async Task RecordRunAsync_CountsRunAndOutcome(ExecutionOutcome outcome, long successes, long failures)
    {
        var (db, store) = await TempDatabase.CreateMigratedAsync();
        await using var _ = db;
        await store.UpsertHandAsync(Samples.Hand());

        await store.RecordRunAsync("oracle", outcome, outcome == ExecutionOutcome.Success ? null : "why", Samples.T0.AddMinutes(1));

        var row = await store.GetHandAsync("oracle");
        Assert.Equal(new HandCounters(1, successes, failures), row!.Counters);
        Assert.Equal(Samples.T0.AddMinutes(1), row.LastRunAt);
        Assert.Equal(outcome == ExecutionOutcome.Success ? null : "why", row.LastError);
    }

    [Fact]
    public async Task RecordRunAsync_ClearsLastError_WhenRunSucceedsAfterFailure()
    {
        var (db, store) = await TempDatabase.CreateMigratedAsync();
        await using var _ = db;
        await store.UpsertHandAsync(Samples.Hand());
        await store.RecordRunAsync("oracle", ExecutionOutcome.Failure, "boom", Samples.T0);

        await store.RecordRunAsync("oracle", ExecutionOutcome.Success, null, Samples.T0.AddMinutes(1));

        Assert.Null((await store.GetHandAsync("oracle"))!.LastError);
    }

    [Fact]
    public async Task StateUpdates_ThrowKeyNotFound_WhenHandIsUnknown()
    {
        var (db, store) = await TempDatabase.CreateMigratedAsync();
        await using var _ = db;

        var paused = await Assert.ThrowsAsync<KeyNotFoundException>(() => store.SetPausedAsync("ghost", true));
        await Assert.ThrowsAsync<KeyNotFoundException>(() => store.SetNextDueAsync("ghost", Samples.T0));
        await Assert.ThrowsAsync<KeyNotFoundException>(() => store.RecordRunAsync("ghost", ExecutionOutcome.Success, null, Samples.T0));

        Assert.Contains("'ghost'", paused.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task GetHandAsync_ReturnsNull_WhenHandIsUnknown()
    {
        var (db, store) = await TempDatabase.CreateMigratedAsync();
        await using var _ = db;

        Assert.Null(await store.GetHandAsync("ghost"));
    }

    [Fact]
    public async Task UpsertHandAsync_Throws_WhenNameIsBlank()
    {
        var (db, store) = await TempDatabase.CreateMigratedAsync();
        await using var _ = db;

        await Assert.ThrowsAsync<ArgumentException>(() => store.UpsertHandAsync(Samples.Hand(" ")));
    }
}
