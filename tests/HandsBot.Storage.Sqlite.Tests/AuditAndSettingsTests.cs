using HandsBot.Core.Storage;
using HandsBot.Storage.Sqlite.Tests.Support;

namespace HandsBot.Storage.Sqlite.Tests;

public sealed class AuditAndSettingsTests
{
    [Fact]
    public async Task AppendAuditAsync_RoundTripsEveryField()
    {
        var (db, store) = await TempDatabase.CreateMigratedAsync();
        await using var _ = db;
        var denied = new AuditEntry(Samples.T0, "telegram:666", "/run oracle", "telegram:-100", false, "not an operator");
        var allowed = new AuditEntry(Samples.T0.AddSeconds(1), "discord:1", "approve R1", "discord:55", true, null);

        await store.AppendAuditAsync(denied);
        await store.AppendAuditAsync(allowed);

        Assert.Equal([allowed, denied], await store.ListAuditAsync(10));
    }

    [Fact]
    public async Task ListAuditAsync_ReturnsNewestFirst_InsertionOrderBreaksTies_UpToLimit()
    {
        var (db, store) = await TempDatabase.CreateMigratedAsync();
        await using var _ = db;
        await store.AppendAuditAsync(new AuditEntry(Samples.T0.AddMinutes(1), "u", "late", "w", true, null));
        await store.AppendAuditAsync(new AuditEntry(Samples.T0, "u", "early", "w", true, null));
        await store.AppendAuditAsync(new AuditEntry(Samples.T0.AddMinutes(1), "u", "late-second", "w", true, null));

        var all = (await store.ListAuditAsync(10)).Select(e => e.Action);
        var top = (await store.ListAuditAsync(1)).Select(e => e.Action);

        Assert.Equal(["late-second", "late", "early"], all);
        Assert.Equal(["late-second"], top);
    }

    [Fact]
    public async Task Settings_SetGetOverwriteDelete()
    {
        var (db, store) = await TempDatabase.CreateMigratedAsync();
        await using var _ = db;

        Assert.Null(await store.GetSettingAsync("telegram.offset"));
        await store.SetSettingAsync("telegram.offset", "41");
        await store.SetSettingAsync("telegram.offset", "42");
        await store.SetSettingAsync("discord.commands", "hash");
        var value = await store.GetSettingAsync("telegram.offset");
        await store.DeleteSettingAsync("telegram.offset");
        await store.DeleteSettingAsync("never-set");

        Assert.Equal("42", value);
        Assert.Null(await store.GetSettingAsync("telegram.offset"));
        Assert.Equal("hash", await store.GetSettingAsync("discord.commands"));
    }

    [Fact]
    public async Task Settings_SurviveReopeningTheDatabase()
    {
        await using var db = new TempDatabase();
        var first = db.OpenStore();
        await first.MigrateAsync();
        await first.SetSettingAsync("k", "v");
        first.Dispose();

        var second = db.OpenStore();
        await second.MigrateAsync();

        Assert.Equal("v", await second.GetSettingAsync("k"));
    }
}
