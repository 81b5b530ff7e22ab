using HandsBot.Core.Model;
using HandsBot.Core.Storage;
using HandsBot.Storage.Tests.Fixtures;

namespace HandsBot.Storage.Tests.Contracts;

/// <summary>The hand index and each hand's persisted scheduling state.</summary>
public abstract class HandStoreContract(IStoreFixture fixture) : StoreContract(fixture)
{
    [Fact]
    public async Task UpsertHand_StoresEveryIndexField_WhenHandIsNew()
    {
        await Store.UpsertHandAsync(Rows.HandEntry());

        var hand = await Store.GetHandAsync(Rows.Hand);

        Assert.Equal(
            new HandRow
            {
                Name = Rows.Hand,
                Directory = "/hands/oracle",
                ManifestJson = """{"name":"oracle"}""",
                ContentHash = "hash-1",
                Enabled = true,
                Valid = true,
                ProblemsJson = """[{"message":"none"}]""",
                UpdatedAt = Now,
            },
            hand);
    }

    [Fact]
    public async Task UpsertHand_RefreshesIndexData_AndKeepsPausedNextDueCountersAndLastOutcome()
    {
        await Store.UpsertHandAsync(Rows.HandEntry());
        await Store.SetPausedAsync(Rows.Hand, true);
        await Store.SetNextDueAsync(Rows.Hand, Rows.T0.AddHours(1));
        var run = await StartAsync("r1");
        await Store.FinishAsync(FinishOf(run, ExecutionOutcome.Failure) with { CountedError = "exit 1" });
        var before = (await Store.GetHandAsync(Rows.Hand))!;
        Time.Advance(TimeSpan.FromMinutes(1));

        await Store.UpsertHandAsync(Rows.HandEntry(hash: "hash-2", enabled: false, valid: false) with { Directory = "/elsewhere", ProblemsJson = "[]" });

        var after = (await Store.GetHandAsync(Rows.Hand))!;
        Assert.Equal(before with { ContentHash = "hash-2", Enabled = false, Valid = false, Directory = "/elsewhere", ProblemsJson = "[]", UpdatedAt = Now }, after);
        Assert.True(after.Paused);
        Assert.Equal(new HandCounters(1, 0, 1), after.Counters);
        Assert.Equal("exit 1", after.LastError);
        Assert.Equal(ExecutionOutcome.Failure, after.LastOutcome);
    }

    [Fact]
    public async Task UpsertHands_WritesManyHandsAtOnce()
    {
        await Store.UpsertHandAsync(Rows.HandEntry("b"));
        await Store.SetPausedAsync("b", true);

        await Store.UpsertHandsAsync([Rows.HandEntry("c"), Rows.HandEntry("a"), Rows.HandEntry("b", hash: "new")]);
        await Store.UpsertHandsAsync([]);

        var hands = await Store.ListHandsAsync();
        Assert.Equal(["a", "b", "c"], hands.Select(h => h.Name));
        Assert.Equal("new", hands[1].ContentHash);
        Assert.True(hands[1].Paused);
    }

    [Fact]
    public async Task RemoveHand_KeepsItsRunsApprovalsAndMessages()
    {
        await Store.UpsertHandAsync(Rows.HandEntry());
        await Store.UpsertHandAsync(Rows.HandEntry("sentinel"));
        await WaitForApprovalAsync("r1", [Rows.Approval("a1", "r1")], "telegram:100");

        await Store.RemoveHandAsync(Rows.Hand);
        await Store.RemoveHandAsync("never-existed");

        Assert.Null(await Store.GetHandAsync(Rows.Hand));
        Assert.Equal(["sentinel"], (await Store.ListHandsAsync()).Select(h => h.Name));
        Assert.NotNull(await Store.GetExecutionAsync("r1"));
        Assert.NotNull(await Store.GetApprovalAsync("a1"));
        Assert.Single(await Store.ListOutboxForExecutionAsync("r1"));
    }

    [Fact]
    public async Task GetHand_ReturnsNull_WhenHandIsUnknown()
    {
        Assert.Null(await Store.GetHandAsync("ghost"));
        Assert.Empty(await Store.ListHandsAsync());
    }

    [Fact]
    public async Task ListHands_ReturnsHandsOrderedByName()
    {
        foreach (var name in new[] { "zeta", "alpha", "mid" })
        {
            await Store.UpsertHandAsync(Rows.HandEntry(name));
        }

        Assert.Equal(["alpha", "mid", "zeta"], (await Store.ListHandsAsync()).Select(h => h.Name));
    }

    [Fact]
    public async Task SetPaused_TogglesTheFlagAndStampsUpdatedAt()
    {
        await Store.UpsertHandAsync(Rows.HandEntry());
        Time.Advance(TimeSpan.FromMinutes(1));

        await Store.SetPausedAsync(Rows.Hand, true);
        var paused = (await Store.GetHandAsync(Rows.Hand))!;
        await Store.SetPausedAsync(Rows.Hand, false);

        Assert.True(paused.Paused);
        Assert.Equal(Now, paused.UpdatedAt);
        Assert.False((await Store.GetHandAsync(Rows.Hand))!.Paused);
    }

    [Fact]
    public async Task SetNextDue_StoresAndClearsTheTime()
    {
        await Store.UpsertHandAsync(Rows.HandEntry());

        await Store.SetNextDueAsync(Rows.Hand, Rows.T0.AddMinutes(30));
        var set = (await Store.GetHandAsync(Rows.Hand))!.NextDueAt;
        await Store.SetNextDueAsync(Rows.Hand, null);

        Assert.Equal(Rows.T0.AddMinutes(30), set);
        Assert.Null((await Store.GetHandAsync(Rows.Hand))!.NextDueAt);
    }

    [Fact]
    public async Task SetNextDueMany_SetsAndClearsTimes_AndSkipsUnknownHands()
    {
        await Store.UpsertHandsAsync([Rows.HandEntry("a"), Rows.HandEntry("b")]);
        await Store.SetNextDueAsync("b", Rows.T0);

        await Store.SetNextDueManyAsync([new("a", Rows.T0.AddHours(1)), new("b", null), new("ghost", Rows.T0)]);
        await Store.SetNextDueManyAsync([]);

        Assert.Equal(Rows.T0.AddHours(1), (await Store.GetHandAsync("a"))!.NextDueAt);
        Assert.Null((await Store.GetHandAsync("b"))!.NextDueAt);
        Assert.Null(await Store.GetHandAsync("ghost"));
    }

    [Fact]
    public async Task StateUpdates_ThrowKeyNotFound_WhenHandIsUnknown()
    {
        await Assert.ThrowsAsync<KeyNotFoundException>(() => Store.SetPausedAsync("ghost", true));
        await Assert.ThrowsAsync<KeyNotFoundException>(() => Store.SetNextDueAsync("ghost", Rows.T0));
    }

    [Theory]
    [InlineData("")]
    [InlineData("  ")]
    public async Task UpsertHand_ThrowsArgument_WhenNameIsBlank(string name)
    {
        await Assert.ThrowsAnyAsync<ArgumentException>(() => Store.UpsertHandAsync(Rows.HandEntry(name)));
    }
}
