using HandsBot.Core.Model;
using HandsBot.Core.Storage;
using HandsBot.Storage.Sqlite.Tests.Support;

namespace HandsBot.Storage.Sqlite.Tests;

public sealed class ApprovalStoreTests
{
    [Fact]
    public async Task InsertApprovalAsync_RoundTripsEveryField()
    {
        var (db, store) = await TempDatabase.CreateMigratedAsync();
        await using var _ = db;
        var approval = Samples.Approval("a1", "Ref-1") with
        {
            Status = ApprovalStatus.AutoApproved,
            ResolvedAt = Samples.T0.AddMinutes(30),
            ResolvedBy = "auto",
        };

        await store.InsertApprovalAsync(approval);

        Assert.Equal(approval, await store.GetApprovalAsync("a1"));
        Assert.Equal(approval, await store.GetApprovalByReferenceAsync("Ref-1"));
    }

    [Fact]
    public async Task InsertApprovalAsync_RoundTripsDefaultsAndNulls()
    {
        var (db, store) = await TempDatabase.CreateMigratedAsync();
        await using var _ = db;
        var approval = new ApprovalRecord
        {
            Id = "a1", Reference = "R", Hand = "h", ExecutionId = "e", Gate = "g", Action = "act", CreatedAt = Samples.T0,
        };

        await store.InsertApprovalAsync(approval);

        Assert.Equal(approval, await store.GetApprovalAsync("a1"));
    }

    [Fact]
    public async Task InsertApprovalAsync_Throws_WhenReferenceIsTaken()
    {
        var (db, store) = await TempDatabase.CreateMigratedAsync();
        await using var _ = db;
        await store.InsertApprovalAsync(Samples.Approval("a1", "SAME"));

        await Assert.ThrowsAsync<Microsoft.Data.Sqlite.SqliteException>(() => store.InsertApprovalAsync(Samples.Approval("a2", "SAME")));
    }

    [Fact]
    public async Task GetApprovalAsync_ReturnsNull_WhenUnknown()
    {
        var (db, store) = await TempDatabase.CreateMigratedAsync();
        await using var _ = db;

        Assert.Null(await store.GetApprovalAsync("ghost"));
        Assert.Null(await store.GetApprovalByReferenceAsync("ghost"));
    }

    [Theory]
    [InlineData("k7", new[] { "id-1" })]
    [InlineData("K7", new[] { "id-1" })]
    [InlineData("k7q", new[] { "id-1" })]
    [InlineData("id-", new[] { "id-1", "id-2", "id-3" })]
    [InlineData("ID-2", new[] { "id-2" })]
    [InlineData("x", new[] { "id-2" })]
    [InlineData("%", new[] { "id-3" })]
    [InlineData("_", new string[0])]
    [InlineData("k_", new string[0])]
    [InlineData(@"\", new string[0])]
    [InlineData("q", new string[0])]
    public async Task FindApprovalsByPrefixAsync_MatchesReferenceOrIdPrefix_CaseInsensitivelyAndLiterally(string prefix, string[] expected)
    {
        var (db, store) = await TempDatabase.CreateMigratedAsync();
        await using var _ = db;
        await store.InsertApprovalAsync(Samples.Approval("id-1", "K7QX"));
        await store.InsertApprovalAsync(Samples.Approval("id-2", "xk7"));
        await store.InsertApprovalAsync(Samples.Approval("id-3", "%PCT"));

        var ids = (await store.FindApprovalsByPrefixAsync(prefix, 10)).Select(a => a.Id).Order(StringComparer.Ordinal);

        Assert.Equal(expected, ids);
    }

    [Fact]
    public async Task FindApprovalsByPrefixAsync_ReturnsNewestFirst_UpToLimit()
    {
        var (db, store) = await TempDatabase.CreateMigratedAsync();
        await using var _ = db;
        for (var i = 0; i < 4; i++)
        {
            await store.InsertApprovalAsync(Samples.Approval($"id-{i}", $"R{i}", createdAt: Samples.T0.AddMinutes(i)));
        }

        var ids = (await store.FindApprovalsByPrefixAsync("r", 2)).Select(a => a.Id);

        Assert.Equal(["id-3", "id-2"], ids);
    }

    [Fact]
    public async Task ListPendingApprovalsAsync_ReturnsOnlyPending_OldestFirst()
    {
        var (db, store) = await TempDatabase.CreateMigratedAsync();
        await using var _ = db;
        await store.InsertApprovalAsync(Samples.Approval("late", "R1", createdAt: Samples.T0.AddMinutes(5)));
        await store.InsertApprovalAsync(Samples.Approval("early", "R2", createdAt: Samples.T0));
        await store.InsertApprovalAsync(Samples.Approval("decided", "R3"));
        await store.InsertApprovalAsync(Samples.Approval("expired", "R4") with { Status = ApprovalStatus.Expired });
        await store.TryResolveApprovalAsync("decided", ApprovalStatus.Rejected, "telegram:1", Samples.T0);

        var ids = (await store.ListPendingApprovalsAsync()).Select(a => a.Id);

        Assert.Equal(["early", "late"], ids);
    }

    [Fact]
    public async Task ListApprovalsForExecutionAsync_ReturnsOnlyThatExecutionsApprovals()
    {
        var (db, store) = await TempDatabase.CreateMigratedAsync();
        await using var _ = db;
        await store.InsertApprovalAsync(Samples.Approval("a1", "R1", executionId: "e1"));
        await store.InsertApprovalAsync(Samples.Approval("a2", "R2", executionId: "e2"));
        await store.InsertApprovalAsync(Samples.Approval("a3", "R3", executionId: "e1", createdAt: Samples.T0.AddSeconds(1)));

        var ids = (await store.ListApprovalsForExecutionAsync("e1")).Select(a => a.Id);

        Assert.Equal(["a1", "a3"], ids);
    }

    [Theory]
    [InlineData(ApprovalStatus.Approved)]
    [InlineData(ApprovalStatus.Rejected)]
    [InlineData(ApprovalStatus.AutoApproved)]
    [InlineData(ApprovalStatus.Expired)]
    public async Task TryResolveApprovalAsync_DecidesPendingApproval(ApprovalStatus status)
    {
        var (db, store) = await TempDatabase.CreateMigratedAsync();
        await using var _ = db;
        await store.InsertApprovalAsync(Samples.Approval("a1", "R1"));

        var won = await store.TryResolveApprovalAsync("a1", status, "discord:9", Samples.T0.AddMinutes(3));

        Assert.True(won);
        var read = await store.GetApprovalAsync("a1");
        Assert.Equal(status, read!.Status);
        Assert.Equal("discord:9", read.ResolvedBy);
        Assert.Equal(Samples.T0.AddMinutes(3), read.ResolvedAt);
    }

    [Fact]
    public async Task TryResolveApprovalAsync_ReturnsFalseAndKeepsFirstDecision_WhenAlreadyDecided()
    {
        var (db, store) = await TempDatabase.CreateMigratedAsync();
        await using var _ = db;
        await store.InsertApprovalAsync(Samples.Approval("a1", "R1"));
        await store.TryResolveApprovalAsync("a1", ApprovalStatus.Approved, "telegram:1", Samples.T0);

        var second = await store.TryResolveApprovalAsync("a1", ApprovalStatus.Rejected, "telegram:2", Samples.T0.AddSeconds(1));

        Assert.False(second);
        var read = await store.GetApprovalAsync("a1");
        Assert.Equal(ApprovalStatus.Approved, read!.Status);
        Assert.Equal("telegram:1", read.ResolvedBy);
        Assert.Equal(Samples.T0, read.ResolvedAt);
    }

    [Fact]
    public async Task TryResolveApprovalAsync_LetsExactlyOneWin_When20DecidersRace()
    {
        var (db, store) = await TempDatabase.CreateMigratedAsync();
        await using var _ = db;
        var other = db.OpenStore(); // a second store instance: its own write gate, so SQLite itself must arbitrate
        await store.InsertApprovalAsync(Samples.Approval("a1", "R1"));
        var start = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);

        var deciders = Enumerable.Range(0, 20).Select(i => Task.Run(async () =>
        {
            await start.Task;
            var status = i % 2 == 0 ? ApprovalStatus.Approved : ApprovalStatus.Rejected;
            var target = i % 3 == 0 ? other : store;
            return (Won: await target.TryResolveApprovalAsync("a1", status, $"user:{i}", Samples.T0), Who: $"user:{i}", Status: status);
        })).ToList();
        start.SetResult();
        var results = await Task.WhenAll(deciders);

        var winner = Assert.Single(results, r => r.Won);
        var read = await store.GetApprovalAsync("a1");
        Assert.Equal(winner.Who, read!.ResolvedBy);
        Assert.Equal(winner.Status, read.Status);
    }

    [Fact]
    public async Task TryResolveApprovalAsync_ThrowsArgument_WhenStatusIsPending()
    {
        var (db, store) = await TempDatabase.CreateMigratedAsync();
        await using var _ = db;
        await store.InsertApprovalAsync(Samples.Approval("a1", "R1"));

        await Assert.ThrowsAsync<ArgumentException>(() => store.TryResolveApprovalAsync("a1", ApprovalStatus.Pending, "x", Samples.T0));
    }

    [Fact]
    public async Task TryResolveApprovalAsync_ThrowsKeyNotFound_WhenIdIsUnknown()
    {
        var (db, store) = await TempDatabase.CreateMigratedAsync();
        await using var _ = db;

        await Assert.ThrowsAsync<KeyNotFoundException>(() => store.TryResolveApprovalAsync("ghost", ApprovalStatus.Approved, "x", Samples.T0));
    }

    [Fact]
    public async Task ApprovalMessages_RoundTripInInsertionOrder_AndIgnoreDuplicates()
    {
        var (db, store) = await TempDatabase.CreateMigratedAsync();
        await using var _ = db;
        await store.InsertApprovalAsync(Samples.Approval("a1", "R1"));
        await store.InsertApprovalAsync(Samples.Approval("a2", "R2"));
        var first = new ApprovalMessage("a1", "telegram", "-100", "7", "501");
        var second = new ApprovalMessage("a1", "discord", "123456789012345678", null, "998877");

        await store.AddApprovalMessageAsync(first);
        await store.AddApprovalMessageAsync(second);
        await store.AddApprovalMessageAsync(first);
        await store.AddApprovalMessageAsync(new ApprovalMessage("a2", "telegram", "1", null, "2"));

        Assert.Equal([first, second], await store.ListApprovalMessagesAsync("a1"));
        Assert.Empty(await store.ListApprovalMessagesAsync("ghost"));
    }
}
