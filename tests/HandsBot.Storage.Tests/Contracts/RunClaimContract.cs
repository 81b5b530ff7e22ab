using HandsBot.Core.Model;
using HandsBot.Core.Storage;
using HandsBot.Storage.Tests.Fixtures;

namespace HandsBot.Storage.Tests.Contracts;

/// <summary>Claims, the process a claimed run started, and heartbeats.</summary>
public abstract class RunClaimContract(IStoreFixture fixture) : StoreContract(fixture)
{
    [Fact]
    public async Task Claim_TakesReadyRunsOldestFirst_UpToTheLimit()
    {
        foreach (var (id, second) in new[] { ("r3", 3), ("r1", 1), ("r4", 4), ("r2", 2) })
        {
            await AdmitAsync(Rows.Run(id, hand: id, requestedAt: Rows.T0.AddSeconds(second)));
        }

        Time.Advance(TimeSpan.FromSeconds(30));
        var first = await Store.ClaimAsync(Claim("w1", limit: 3));
        var rest = await Store.ClaimAsync(Claim("w2", limit: 3));

        Assert.Equal(["r1", "r2", "r3"], first.Select(r => r.Id));
        Assert.Equal(["r4"], rest.Select(r => r.Id));
        Assert.All(first, r =>
        {
            Assert.Equal(RunState.Running, r.RunState);
            Assert.Equal("w1", r.Owner);
            Assert.Equal(Now + Lease, r.LeaseUntil);
            Assert.Equal(Now, r.AliveAt);
            Assert.Equal(Now, r.StartedAt);
            Assert.Equal(1, r.Attempt);
        });
        AssertSameRun(first[0], await Store.GetExecutionAsync("r1"));
        Assert.Empty(await Store.ClaimAsync(Claim("w3")));
    }

    [Fact]
    public async Task Claim_LeavesQueuedRunningAndEndedRuns()
    {
        await StartAsync("running");
        await AdmitAsync(Rows.Run("queued", requestedAt: Rows.T0.AddSeconds(1)), OverlapPolicy.Queue);
        var ended = await StartAsync("ended", hand: "sentinel");
        Assert.True(await Store.FinishAsync(FinishOf(ended)));

        Assert.Empty(await Store.ClaimAsync(Claim("w2")));
    }

    [Fact]
    public async Task Claim_ReturnsNothing_WhenLimitIsZero()
    {
        await AdmitAsync(Rows.Run("r1"));

        Assert.Empty(await Store.ClaimAsync(Claim("w1", limit: 0)));
        Assert.Equal(RunState.Ready, (await Store.GetExecutionAsync("r1"))!.RunState);
    }

    [Fact]
    public async Task Claim_TakesOnlyThatRun_WhenOnlyIdIsSet()
    {
        await AdmitAsync(Rows.Run("older", hand: "a"));
        await AdmitAsync(Rows.Run("mine", hand: "b", requestedAt: Rows.T0.AddSeconds(1)));

        var claimed = await Store.ClaimAsync(Claim("cli") with { OnlyId = "mine" });
        var again = await Store.ClaimAsync(Claim("cli") with { OnlyId = "mine" });

        Assert.Equal(["mine"], claimed.Select(r => r.Id));
        Assert.Empty(again);
        Assert.Equal(RunState.Ready, (await Store.GetExecutionAsync("older"))!.RunState);
    }

    [Fact]
    public async Task Claim_BumpsTheAttempt_EachTimeTheRunIsClaimedAgain()
    {
        var first = await StartAsync("r1", owner: "w1");
        Assert.True(await Store.ReleaseLostAsync(new LostRun("r1", first.Attempt, Rows.Hand, LostRunAction.Retry, Now, "worker gone")));

        var second = Assert.Single(await Store.ClaimAsync(Claim("w2")));

        Assert.Equal(1, first.Attempt);
        Assert.Equal(2, second.Attempt);
        Assert.Equal("w2", second.Owner);
    }

    [Fact]
    public async Task Claim_NeverGivesOneRunToTwoClaimers_WhenManyRace()
    {
        const int runs = 60;
        for (var i = 0; i < runs; i++)
        {
            await AdmitAsync(Rows.Run($"r{i:D2}", hand: $"h{i}", requestedAt: Rows.T0.AddMilliseconds(i)));
        }

        var peer = await Fixture.OpenPeerAsync();
        var claims = await RaceAsync(8, async i =>
        {
            var store = i % 2 == 0 ? Store : peer;
            var mine = new List<ExecutionRecord>();
            while (await store.ClaimAsync(new RunClaim($"w{i}", Rows.T0, Rows.T0 + Lease, 3)) is { Count: > 0 } claimed)
            {
                mine.AddRange(claimed);
            }

            return mine;
        });

        var all = claims.SelectMany(c => c).ToList();
        Assert.Equal(runs, all.Count);
        Assert.Equal(runs, all.Select(r => r.Id).Distinct().Count());
        Assert.All(all, r => Assert.Equal(1, r.Attempt));
        foreach (var (mine, i) in claims.Select((c, i) => (c, i)))
        {
            Assert.All(mine, r => Assert.Equal($"w{i}", r.Owner));
        }
    }

    [Fact]
    public async Task RecordProcess_StoresPidAndStartTime_WhenClaimIsCurrent()
    {
        var run = await StartAsync("r1");

        Assert.True(await Store.RecordProcessAsync("r1", run.Attempt, 4242, 987654321));

        var stored = (await Store.GetExecutionAsync("r1"))!;
        Assert.Equal(4242, stored.Pid);
        Assert.Equal(987654321, stored.PidStartTime);
    }

    [Fact]
    public async Task RecordProcess_ReturnsFalse_WhenClaimIsStaleOrRunEnded()
    {
        var run = await StartAsync("r1");
        Assert.False(await Store.RecordProcessAsync("r1", run.Attempt + 1, 1, 1));
        Assert.False(await Store.RecordProcessAsync("ghost", 1, 1, 1));
        Assert.True(await Store.FinishAsync(FinishOf(run)));

        Assert.False(await Store.RecordProcessAsync("r1", run.Attempt, 1, 1));
        Assert.Null((await Store.GetExecutionAsync("r1"))!.Pid);
    }

    [Fact]
    public async Task Claim_ForgetsTheProcessOfTheEarlierAttempt()
    {
        var run = await StartAsync("r1");
        await Store.RecordProcessAsync("r1", run.Attempt, 4242, 1);
        await Store.ReleaseLostAsync(new LostRun("r1", run.Attempt, Rows.Hand, LostRunAction.Retry, Now, "gone"));

        var again = Assert.Single(await Store.ClaimAsync(Claim("w2")));

        Assert.Null(again.Pid);
        Assert.Null(again.PidStartTime);
    }

    [Fact]
    public async Task Heartbeat_ExtendsTheLeaseOfEveryRunTheOwnerHolds()
    {
        await StartAsync("a", owner: "w1", hand: "a");
        await StartAsync("b", owner: "w1", hand: "b");
        var others = await StartAsync("c", owner: "w2", hand: "c");
        Time.Advance(TimeSpan.FromSeconds(20));

        var result = await Store.HeartbeatAsync("w1", ["a", "b"], Now, Now + Lease);

        Assert.Empty(result.CancelRequested);
        Assert.Empty(result.Lost);
        foreach (var id in new[] { "a", "b" })
        {
            var run = (await Store.GetExecutionAsync(id))!;
            Assert.Equal(Now + Lease, run.LeaseUntil);
            Assert.Equal(Now, run.AliveAt);
        }

        AssertSameRun(others, await Store.GetExecutionAsync("c"));
    }

    [Fact]
    public async Task Heartbeat_ReportsRunsAskedToStop()
    {
        await StartAsync("running", owner: "w1");
        await AdmitAsync(Rows.Run("newer", requestedAt: Rows.T0.AddSeconds(1)), OverlapPolicy.Replace);

        var result = await Store.HeartbeatAsync("w1", ["running"], Now, Now + Lease);

        Assert.Equal(["running"], result.CancelRequested);
    }

    [Fact]
    public async Task Heartbeat_ReportsRunsTheOwnerNoLongerHolds()
    {
        var retried = await StartAsync("retried", owner: "w1", hand: "a");
        var ended = await StartAsync("ended", owner: "w1", hand: "b");
        await StartAsync("kept", owner: "w1", hand: "c");
        await Store.ReleaseLostAsync(new LostRun("retried", retried.Attempt, "a", LostRunAction.Retry, Now, "lease ran out"));
        await Store.ClaimAsync(Claim("w2"));
        await Store.ReleaseLostAsync(new LostRun("ended", ended.Attempt, "b", LostRunAction.Interrupt, Now, "lease ran out"));

        var result = await Store.HeartbeatAsync("w1", ["retried", "ended", "kept", "never-existed"], Now, Now + Lease);

        Assert.Equal(["ended", "never-existed", "retried"], result.Lost.Order(StringComparer.Ordinal));
        Assert.Equal("w2", (await Store.GetExecutionAsync("retried"))!.Owner);
    }
}
