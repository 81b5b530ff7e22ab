using HandsBot.Core.Model;
using HandsBot.Core.Storage;
using HandsBot.Storage.Tests.Fixtures;

namespace HandsBot.Storage.Tests.Contracts;

/// <summary>Runs as records: inserted as given, found, listed; an agent's saved state.</summary>
public abstract class RunQueryContract(IStoreFixture fixture) : StoreContract(fixture)
{
    [Fact]
    public async Task InsertExecution_RoundTripsEveryField()
    {
        var record = Rows.FullRecord("e1");

        await Store.InsertExecutionAsync(record);

        AssertSameRun(record, await Store.GetExecutionAsync("e1"));
    }

    [Fact]
    public async Task InsertExecution_RoundTripsNullsAndDefaults()
    {
        var record = new ExecutionRecord { Id = "e1", Hand = Rows.Hand, Trigger = RunTrigger.Manual, StartedAt = Rows.T0 };

        await Store.InsertExecutionAsync(record);

        AssertSameRun(record, await Store.GetExecutionAsync("e1"));
    }

    [Fact]
    public async Task InsertExecution_Throws_WhenIdExists()
    {
        await Store.InsertExecutionAsync(Rows.FullRecord("e1"));

        await Assert.ThrowsAnyAsync<Exception>(() => Store.InsertExecutionAsync(Rows.FullRecord("e1") with { Hand = "other" }));

        Assert.Equal(Rows.Hand, (await Store.GetExecutionAsync("e1"))!.Hand);
    }

    [Fact]
    public async Task GetExecution_ReturnsNull_WhenIdIsUnknown()
    {
        Assert.Null(await Store.GetExecutionAsync("ghost"));
    }

    [Theory]
    [InlineData("ab", new[] { "ab12", "ab34" })]
    [InlineData("ab1", new[] { "ab12" })]
    [InlineData("b", new string[0])]
    [InlineData("%", new[] { "%x" })]
    [InlineData("_", new string[0])]
    [InlineData("a_", new string[0])]
    [InlineData("", new[] { "%x", "ab12", "ab34", "cd56" })]
    public async Task FindExecutionsByPrefix_MatchesTheIdPrefixLiterally(string prefix, string[] expected)
    {
        foreach (var id in new[] { "ab12", "ab34", "cd56", "%x" })
        {
            await Store.InsertExecutionAsync(Rows.FullRecord(id));
        }

        var found = await Store.FindExecutionsByPrefixAsync(prefix, 10);

        Assert.Equal(expected, found.Select(r => r.Id).Order(StringComparer.Ordinal));
    }

    [Fact]
    public async Task FindExecutionsByPrefix_ReturnsAtMostTheLimit()
    {
        for (var i = 0; i < 5; i++)
        {
            await Store.InsertExecutionAsync(Rows.FullRecord($"ab{i}"));
        }

        Assert.Equal(2, (await Store.FindExecutionsByPrefixAsync("ab", 2)).Count);
    }

    [Fact]
    public async Task ListExecutions_ReturnsTheHandsRunsNewestFirst_UpToTheLimit()
    {
        for (var i = 0; i < 4; i++)
        {
            await AdmitAsync(Rows.Run($"r{i}", requestedAt: Rows.T0.AddMinutes(i)));
        }

        await AdmitAsync(Rows.Run("other", hand: "sentinel", requestedAt: Rows.T0.AddHours(1)));

        var listed = await Store.ListExecutionsAsync(Rows.Hand, 3);

        Assert.Equal(["r3", "r2", "r1"], listed.Select(r => r.Id));
    }

    [Fact]
    public async Task ListActiveRuns_ReturnsQueuedReadyAndRunningRuns_OldestFirst_WithoutOutput()
    {
        var running = await StartAsync("running", requestedAt: Rows.T0);
        await Store.SaveExecutionStateAsync("running", "prompt", "state");
        await AdmitAsync(Rows.Run("queued", requestedAt: Rows.T0.AddSeconds(2)), OverlapPolicy.Queue);
        await AdmitAsync(Rows.Run("ready", hand: "sentinel", requestedAt: Rows.T0.AddSeconds(1)));
        var ended = await StartAsync("ended", hand: "third", requestedAt: Rows.T0.AddSeconds(3));
        await Store.FinishAsync(FinishOf(ended) with { Output = "big output" });

        var active = await Store.ListActiveRunsAsync();

        Assert.Equal(["running", "ready", "queued"], active.Select(r => r.Id));
        Assert.Equal([RunState.Running, RunState.Ready, RunState.Queued], active.Select(r => r.RunState));
        Assert.All(active, r => Assert.Null(r.Output));
        Assert.Equal(running.Owner, active[0].Owner);
        Assert.Equal(running.LeaseUntil, active[0].LeaseUntil);
        Assert.Equal(running.Attempt, active[0].Attempt);
    }

    [Fact]
    public async Task SaveExecutionState_StoresPromptAndState_AndNullKeepsTheStoredValue()
    {
        await StartAsync("r1");

        await Store.SaveExecutionStateAsync("r1", "prompt-1", "state-1");
        await Store.SaveExecutionStateAsync("r1", null, "state-2");
        await Store.SaveExecutionStateAsync("r1", "prompt-3", null);

        var stored = (await Store.GetExecutionAsync("r1"))!;
        Assert.Equal("prompt-3", stored.Prompt);
        Assert.Equal("state-2", stored.State);
    }

    [Fact]
    public async Task SaveExecutionState_ThrowsKeyNotFound_WhenIdIsUnknown()
    {
        await Assert.ThrowsAsync<KeyNotFoundException>(() => Store.SaveExecutionStateAsync("ghost", "p", "s"));
    }

    [Theory]
    [InlineData(0)]
    [InlineData(-1)]
    public async Task Listings_ThrowArgumentOutOfRange_WhenLimitIsNotPositive(int limit)
    {
        await Assert.ThrowsAsync<ArgumentOutOfRangeException>(() => Store.ListExecutionsAsync(Rows.Hand, limit));
        await Assert.ThrowsAsync<ArgumentOutOfRangeException>(() => Store.FindExecutionsByPrefixAsync("a", limit));
        await Assert.ThrowsAsync<ArgumentOutOfRangeException>(() => Store.FindApprovalsByPrefixAsync("a", limit));
        await Assert.ThrowsAsync<ArgumentOutOfRangeException>(() => Store.ListDecidedApprovalsAsync(limit));
        await Assert.ThrowsAsync<ArgumentOutOfRangeException>(() => Store.ListDeliveryProblemsAsync(null, limit));
        await Assert.ThrowsAsync<ArgumentOutOfRangeException>(() => Store.ListAuditAsync(limit));
    }
}
