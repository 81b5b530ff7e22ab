using HandsBot.Storage.Sqlite.Tests.Support;

namespace HandsBot.Storage.Sqlite.Tests;

public sealed class SeenKeyStoreTests
{
    [Fact]
    public async Task TryMarkSeen_IsTrueOnce_UntilTheKeyExpires()
    {
        var (db, store) = await TempDatabase.CreateMigratedAsync();
        await using var _ = db;
        var until = Samples.T0.AddMinutes(15);

        Assert.True(await store.TryMarkSeenAsync("discord:interaction:1", until));
        Assert.False(await store.TryMarkSeenAsync("discord:interaction:1", until));
        Assert.True(await store.TryMarkSeenAsync("discord:interaction:2", until));

        db.Time.Advance(TimeSpan.FromMinutes(15));
        Assert.True(await store.TryMarkSeenAsync("discord:interaction:1", until.AddMinutes(15)));
    }

    [Fact]
    public async Task TryMarkSeen_SurvivesANewStoreOnTheSameFile()
    {
        var (db, store) = await TempDatabase.CreateMigratedAsync();
        await using var _ = db;
        Assert.True(await store.TryMarkSeenAsync("k", Samples.T0.AddMinutes(1)));

        var reopened = db.OpenStore();
        Assert.False(await reopened.TryMarkSeenAsync("k", Samples.T0.AddMinutes(1)));
    }

    [Fact]
    public async Task PurgeSeen_ForgetsOnlyExpiredKeys()
    {
        var (db, store) = await TempDatabase.CreateMigratedAsync();
        await using var _ = db;
        await store.TryMarkSeenAsync("old", Samples.T0.AddMinutes(1));
        await store.TryMarkSeenAsync("new", Samples.T0.AddMinutes(10));

        Assert.Equal(1, await store.PurgeSeenAsync(Samples.T0.AddMinutes(5)));
        Assert.Equal(0L, db.Scalar("SELECT COUNT(*) FROM seen_keys WHERE key = 'old';"));
        Assert.Equal(1L, db.Scalar("SELECT COUNT(*) FROM seen_keys WHERE key = 'new';"));
    }
}
