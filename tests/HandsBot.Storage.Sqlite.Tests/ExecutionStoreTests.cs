using HandsBot.Core.Model;
using HandsBot.Core.Storage;
using HandsBot.Storage.Sqlite.Tests.Support;
using Microsoft.Extensions.Logging;

namespace HandsBot.Storage.Sqlite.Tests;

public sealed class ExecutionStoreTests
{
    [Fact]
    public async Task InsertExecutionAsync_RoundTripsEveryField()
    {
        var (db, store) = await TempDatabase.CreateMigratedAsync();
        await using var _ = db;
        var execution = Samples.FullExecution("exec-full");

        await store.InsertExecutionAsync(execution);
        var read = await store.GetExecutionAsync("exec-full");

        Assert.NotNull(read);
        Assert.Equal(execution.Files, read.Files);
        Assert.Equal(execution with { Files = read.Files }, read);
        Assert.Equal(TimeSpan.FromMilliseconds(3456), read.Duration);
    }

    [Fact]
    public async Task InsertExecutionAsync_RoundTripsNulls_WhenRunning()
    {
        var (db, store) = await TempDatabase.CreateMigratedAsync();
        await using var _ = db;
        var execution = new ExecutionRecord { Id = "e", Hand = "h", Trigger = RunTrigger.Schedule, StartedAt = Samples.T0 };

        await store.InsertExecutionAsync(execution);
        var read = await store.GetExecutionAsync("e");

        Assert.NotNull(read);
        Assert.Empty(read.Files);
        Assert.Equal(execution with { Files = read.Files }, read);
    }

    [Fact]
    public async Task InsertExecutionAsync_Throws_WhenIdExists()
    {
        var (db, store) = await TempDatabase.CreateMigratedAsync();
        await using var _ = db;
        await store.InsertExecutionAsync(Samples.Execution("e1"));

        await Assert.ThrowsAsync<Microsoft.Data.Sqlite.SqliteException>(() => store.InsertExecutionAsync(Samples.Execution("e1")));
    }

    [Theory]
    [InlineData(null)]
    [InlineData(ExecutionOutcome.ApprovalPending)]
    public async Task CompleteExecutionAsync_WritesTheEnd_WhenRunningOrAwaitingApproval(ExecutionOutcome? current)
    {
        var (db, store) = await TempDatabase.CreateMigratedAsync();
        await using var _ = db;
        await store.InsertExecutionAsync(Samples.Execution("e1") with { Outcome = current });

        await store.CompleteExecutionAsync(new ExecutionCompletion("e1", ExecutionOutcome.Success, Samples.T0.AddSeconds(2), "out", "err", "stderr", ["f.txt"]));

        var read = await store.GetExecutionAsync("e1");
        Assert.Equal(ExecutionOutcome.Success, read!.Outcome);
        Assert.Equal(Samples.T0.AddSeconds(2), read.CompletedAt);
        Assert.Equal("out", read.Output);
        Assert.Equal("err", read.Error);
        Assert.Equal("stderr", read.Stderr);
        Assert.Equal(["f.txt"], read.Files);
    }

    [Theory]
    [InlineData(ExecutionOutcome.Interrupted)]
    [InlineData(ExecutionOutcome.Cancelled)]
    [InlineData(ExecutionOutcome.Success)]
    [InlineData(ExecutionOutcome.Failure)]
    [InlineData(ExecutionOutcome.Timeout)]
    [InlineData(ExecutionOutcome.Missed)]
    [InlineData(ExecutionOutcome.Skipped)]
    public async Task CompleteExecutionAsync_LeavesRecordAndLogs_WhenAlreadyEnded(ExecutionOutcome ended)
    {
        var (db, store) = await TempDatabase.CreateMigratedAsync();
        await using var _ = db;
        var original = Samples.Execution("e1") with { Outcome = ended, CompletedAt = Samples.T0.AddSeconds(1), Error = "original" };
        await store.InsertExecutionAsync(original);

        await store.CompleteExecutionAsync(new ExecutionCompletion("e1", ExecutionOutcome.Success, Samples.T0.AddMinutes(9), "late", null, null, ["late.txt"]));

        var read = await store.GetExecutionAsync("e1");
        Assert.NotNull(read);
        Assert.Empty(read.Files);
        Assert.Equal(original with { Files = read.Files }, read);
        Assert.Contains(db.Logger.Records, r => r.Level == LogLevel.Warning && r.Message.Contains("e1", StringComparison.Ordinal));
    }

    [Fact]
    public async Task CompleteExecutionAsync_ThrowsKeyNotFound_WhenIdIsUnknown()
    {
        var (db, store) = await TempDatabase.CreateMigratedAsync();
        await using var _ = db;

        await Assert.ThrowsAsync<KeyNotFoundException>(
            () => store.CompleteExecutionAsync(new ExecutionCompletion("ghost", ExecutionOutcome.Success, Samples.T0, null, null, null, [])));
    }

    [Fact]
    public async Task ListRunningExecutionsAsync_ReturnsOnlyOutcomeNull_OldestFirst()
    {
        var (db, store) = await TempDatabase.CreateMigratedAsync();
        await using var _ = db;
        await store.InsertExecutionAsync(Samples.Execution("late", startedAt: Samples.T0.AddMinutes(2)));
        await store.InsertExecutionAsync(Samples.Execution("early", startedAt: Samples.T0));
        await store.InsertExecutionAsync(Samples.Execution("waiting") with { Outcome = ExecutionOutcome.ApprovalPending });
        await store.InsertExecutionAsync(Samples.Execution("done") with { Outcome = ExecutionOutcome.Success });
        await store.InsertExecutionAsync(Samples.Execution("finished"));
        await store.CompleteExecutionAsync(new ExecutionCompletion("finished", ExecutionOutcome.Failure, Samples.T0, null, "x", null, []));

        var running = (await store.ListRunningExecutionsAsync()).Select(e => e.Id);

        Assert.Equal(["early", "late"], running);
    }

    [Fact]
    public async Task ListExecutionsAsync_ReturnsHandsRunsNewestFirst_UpToLimit()
    {
        var (db, store) = await TempDatabase.CreateMigratedAsync();
        await using var _ = db;
        for (var i = 0; i < 5; i++)
        {
            await store.InsertExecutionAsync(Samples.Execution($"e{i}", startedAt: Samples.T0.AddMinutes(i)));
        }

        await store.InsertExecutionAsync(Samples.Execution("other", hand: "other", startedAt: Samples.T0.AddHours(1)));

        var ids = (await store.ListExecutionsAsync("oracle", 3)).Select(e => e.Id);

        Assert.Equal(["e4", "e3", "e2"], ids);
    }

    [Theory]
    [InlineData("abc", new[] { "abc123", "abcdef" })]
    [InlineData("ABC", new[] { "abc123", "abcdef" })]
    [InlineData("abcd", new[] { "abcdef" })]
    [InlineData("%", new[] { "%weird" })]
    [InlineData("_", new string[0])]
    [InlineData("a_c", new string[0])]
    [InlineData("zzz", new string[0])]
    public async Task FindExecutionsByPrefixAsync_MatchesIdPrefixLiterally(string prefix, string[] expected)
    {
        var (db, store) = await TempDatabase.CreateMigratedAsync();
        await using var _ = db;
        foreach (var id in new[] { "abc123", "abcdef", "xabc", "%weird" })
        {
            await store.InsertExecutionAsync(Samples.Execution(id));
        }

        var ids = (await store.FindExecutionsByPrefixAsync(prefix, 10)).Select(e => e.Id).Order(StringComparer.Ordinal);

        Assert.Equal(expected.Order(StringComparer.Ordinal), ids);
    }

    [Fact]
    public async Task FindExecutionsByPrefixAsync_HonoursLimit()
    {
        var (db, store) = await TempDatabase.CreateMigratedAsync();
        await using var _ = db;
        for (var i = 0; i < 4; i++)
        {
            await store.InsertExecutionAsync(Samples.Execution($"p{i}", startedAt: Samples.T0.AddMinutes(i)));
        }

        var ids = (await store.FindExecutionsByPrefixAsync("p", 2)).Select(e => e.Id);

        Assert.Equal(["p3", "p2"], ids);
    }

    [Fact]
    public async Task SaveExecutionStateAsync_StoresPromptAndState_AndNullKeepsValue()
    {
        var (db, store) = await TempDatabase.CreateMigratedAsync();
        await using var _ = db;
        await store.InsertExecutionAsync(Samples.Execution("e1"));

        await store.SaveExecutionStateAsync("e1", "the prompt", "{\"turn\":1}");
        await store.SaveExecutionStateAsync("e1", null, "{\"turn\":2}");

        var read = await store.GetExecutionAsync("e1");
        Assert.Equal("the prompt", read!.Prompt);
        Assert.Equal("{\"turn\":2}", read.State);
    }

    [Fact]
    public async Task SaveExecutionStateAsync_ThrowsKeyNotFound_WhenIdIsUnknown()
    {
        var (db, store) = await TempDatabase.CreateMigratedAsync();
        await using var _ = db;

        await Assert.ThrowsAsync<KeyNotFoundException>(() => store.SaveExecutionStateAsync("ghost", "p", "s"));
    }

    [Fact]
    public async Task GetExecutionAsync_ReturnsNull_WhenIdIsUnknown()
    {
        var (db, store) = await TempDatabase.CreateMigratedAsync();
        await using var _ = db;

        Assert.Null(await store.GetExecutionAsync("ghost"));
    }

    [Theory]
    [InlineData(0)]
    [InlineData(-1)]
    public async Task Queries_ThrowArgumentOutOfRange_WhenLimitIsNotPositive(int limit)
    {
        var (db, store) = await TempDatabase.CreateMigratedAsync();
        await using var _ = db;

        await Assert.ThrowsAsync<ArgumentOutOfRangeException>(() => store.ListExecutionsAsync("oracle", limit));
        await Assert.ThrowsAsync<ArgumentOutOfRangeException>(() => store.FindExecutionsByPrefixAsync("a", limit));
        await Assert.ThrowsAsync<ArgumentOutOfRangeException>(() => store.FindApprovalsByPrefixAsync("a", limit));
        await Assert.ThrowsAsync<ArgumentOutOfRangeException>(() => store.ListDueAsync(Samples.T0, limit));
        await Assert.ThrowsAsync<ArgumentOutOfRangeException>(() => store.ListAuditAsync(limit));
    }
}
