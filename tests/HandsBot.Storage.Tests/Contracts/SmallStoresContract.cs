using HandsBot.Core.Storage;
using HandsBot.Storage.Tests.Fixtures;

namespace HandsBot.Storage.Tests.Contracts;

/// <summary>Audit log, settings and seen keys.</summary>
public abstract class SmallStoresContract(IStoreFixture fixture) : StoreContract(fixture)
{
    [Fact]
    public async Task AppendAudit_RoundTripsEveryField()
    {
        var entry = new AuditEntry(Rows.T0, "telegram:42", "approve", "telegram:-100:7", false, "not an operator ✗");

        await Store.AppendAuditAsync(entry);

        Assert.Equal([entry], await Store.ListAuditAsync(10));
    }

    [Fact]
    public async Task AppendAuditBatch_WritesEveryEntry_InOrder()
    {
        IAuditStore audit = Store;
        await audit.AppendAuditBatchAsync([
            new AuditEntry(Rows.T0, "webhook", "hook a", "127.0.0.1", true, "202 started; delivery 1"),
            new AuditEntry(Rows.T0, "webhook", "hook b", "10.0.0.1", false, null),
        ]);
        await audit.AppendAuditBatchAsync([]);

        Assert.Equal(["hook b", "hook a"], (await Store.ListAuditAsync(10)).Select(e => e.Action));
        Assert.Equal("202 started; delivery 1", (await Store.ListAuditAsync(10))[1].Detail);
    }

    [Fact]
    public async Task ListAudit_ReturnsNewestFirst_InsertionOrderBreakingTies_UpToTheLimit()
    {
        await Store.AppendAuditAsync(new AuditEntry(Rows.T0.AddMinutes(1), "u", "second", "w", true, null));
        await Store.AppendAuditAsync(new AuditEntry(Rows.T0, "u", "first", "w", true, null));
        await Store.AppendAuditAsync(new AuditEntry(Rows.T0.AddMinutes(1), "u", "third", "w", true, null));

        Assert.Equal(["third", "second"], (await Store.ListAuditAsync(2)).Select(e => e.Action));
        Assert.Equal(["third", "second", "first"], (await Store.ListAuditAsync(10)).Select(e => e.Action));
    }

    [Fact]
    public async Task Settings_SetGetOverwriteDelete()
    {
        Assert.Null(await Store.GetSettingAsync("telegram.offset"));

        await Store.SetSettingAsync("telegram.offset", "17");
        await Store.SetSettingAsync("telegram.offset", "18");
        await Store.SetSettingAsync("discord.commands", "hash ✓");
        var read = await Store.GetSettingAsync("telegram.offset");
        await Store.DeleteSettingAsync("telegram.offset");
        await Store.DeleteSettingAsync("never-set");

        Assert.Equal("18", read);
        Assert.Null(await Store.GetSettingAsync("telegram.offset"));
        Assert.Equal("hash ✓", await Store.GetSettingAsync("discord.commands"));
    }

    [Fact]
    public async Task Settings_AreSeenByAnotherStoreOnTheSameDatabase()
    {
        await Store.SetSettingAsync("k", "v");

        var peer = await Fixture.OpenPeerAsync();

        Assert.Equal("v", await peer.GetSettingAsync("k"));
    }

    [Fact]
    public async Task TryMarkSeen_IsTrueOnce_UntilTheKeyExpires()
    {
        var expires = Now.AddMinutes(5);

        Assert.True(await Store.TryMarkSeenAsync("discord:interaction:1", expires));
        Assert.False(await Store.TryMarkSeenAsync("discord:interaction:1", expires));
        Assert.True(await Store.TryMarkSeenAsync("discord:interaction:2", expires));
        Time.Advance(TimeSpan.FromMinutes(5));
        Assert.True(await Store.TryMarkSeenAsync("discord:interaction:1", Now.AddMinutes(5)));
        Assert.False(await Store.TryMarkSeenAsync("discord:interaction:1", Now.AddMinutes(5)));
    }

    [Fact]
    public async Task TryMarkSeen_IsTrueForExactlyOneCaller_WhenManyRace()
    {
        var peer = await Fixture.OpenPeerAsync();

        var results = await RaceAsync(20, i => (i % 2 == 0 ? Store : peer).TryMarkSeenAsync("telegram:update:9", Now.AddMinutes(5)));

        Assert.Single(results, r => r);
    }

    [Fact]
    public async Task TryMarkSeen_RemembersTheKey_InAnotherStoreOnTheSameDatabase()
    {
        Assert.True(await Store.TryMarkSeenAsync("k", Now.AddMinutes(5)));

        var peer = await Fixture.OpenPeerAsync();

        Assert.False(await peer.TryMarkSeenAsync("k", Now.AddMinutes(5)));
    }

    [Fact]
    public async Task PurgeSeen_ForgetsOnlyKeysExpiredBeforeNow()
    {
        await Store.TryMarkSeenAsync("old", Now.AddMinutes(1));
        await Store.TryMarkSeenAsync("new", Now.AddMinutes(10));

        var purged = await Store.PurgeSeenAsync(Now.AddMinutes(2));

        Assert.Equal(1, purged);
        Assert.Equal(1, await CountAsync("seen_keys"));
        Assert.False(await Store.TryMarkSeenAsync("new", Now.AddMinutes(10)));
    }
}
