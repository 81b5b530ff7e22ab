using HandsBot.Core.Storage;
using HandsBot.Storage.Tests.Fixtures;

namespace HandsBot.Storage.Tests.Contracts;

/// <summary>Opening the store: migration, serving, health.</summary>
public abstract class StoreAdminContract(IStoreFixture fixture) : StoreContract(fixture)
{
    [Fact]
    public async Task Migrate_IsIdempotent_AndKeepsTheData()
    {
        await Store.UpsertHandAsync(Rows.HandEntry());
        await Store.SetSettingAsync("k", "v");

        await Store.MigrateAsync();
        var peer = await Fixture.OpenPeerAsync();
        await peer.MigrateAsync();

        Assert.NotNull(await peer.GetHandAsync(Rows.Hand));
        Assert.Equal("v", await Store.GetSettingAsync("k"));
    }

    [Fact]
    public async Task Migrate_Succeeds_WhenSeveralProcessesMigrateAtOnce()
    {
        var peers = new List<IHandsStore>();
        for (var i = 0; i < 4; i++)
        {
            peers.Add(await Fixture.OpenPeerAsync());
        }

        await RaceAsync(peers.Count, async i =>
        {
            await peers[i].MigrateAsync();
            return 0;
        });

        await peers[0].SetSettingAsync("k", "v");
        Assert.Equal("v", await peers[^1].GetSettingAsync("k"));
    }

    [Fact]
    public async Task CheckHealth_Succeeds_WhenTheStoreAnswers()
    {
        await Store.CheckHealthAsync();
        await Store.UpsertHandAsync(Rows.HandEntry());
        await Store.CheckHealthAsync();

        Assert.NotNull(await Store.GetHandAsync(Rows.Hand));
    }

    [Fact]
    public void Describe_NamesTheStoreWithoutSecrets()
    {
        Assert.False(string.IsNullOrWhiteSpace(Store.Describe));
        Assert.DoesNotContain("password", Store.Describe, StringComparison.OrdinalIgnoreCase);
    }

    [Fact]
    public async Task AcquireForServing_RefusesASecondServer_UnlessTheStoreIsShared()
    {
        await Store.AcquireForServingAsync("host-a/100");
        await Store.AcquireForServingAsync("host-a/100");
        var peer = await Fixture.OpenPeerAsync();

        if (Store.Shared)
        {
            await peer.AcquireForServingAsync("host-b/200");
        }
        else
        {
            var refused = await Assert.ThrowsAsync<StoreUnavailableException>(() => peer.AcquireForServingAsync("host-b/200"));
            Assert.Contains("host-a/100", refused.Message, StringComparison.Ordinal);
            Assert.False(refused.Transient);
        }
    }

    [Fact]
    public async Task AcquireForServing_LeavesOneShotUseWorking_BesideAServer()
    {
        await Store.AcquireForServingAsync("host-a/100");
        var oneShot = await Fixture.OpenPeerAsync();

        await oneShot.UpsertHandAsync(Rows.HandEntry());

        Assert.NotNull(await Store.GetHandAsync(Rows.Hand));
    }
}
