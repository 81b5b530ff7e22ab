using HandsBot.Telegram.Sending;
using Microsoft.Extensions.Time.Testing;

namespace HandsBot.Telegram.Tests;

public sealed class SendPacerTests
{
    private readonly FakeTimeProvider _time = new(DateTimeOffset.Parse("2026-11-23T10:00:00Z", System.Globalization.CultureInfo.InvariantCulture));

    private SendPacer Pacer(int chat = 1, int group = 20, int global = 30) => new(new TelegramAdapterOptions
    {
        ChatMessages = chat,
        ChatWindow = TimeSpan.FromSeconds(1),
        GroupMessages = group,
        GroupWindow = TimeSpan.FromMinutes(1),
        GlobalMessages = global,
        GlobalWindow = TimeSpan.FromSeconds(1),
    }, _time);

    [Fact]
    public void TryReserve_SpacesMessagesToOneChat_ByTheChatWindow()
    {
        var pacer = Pacer();

        Assert.Equal((true, TimeSpan.Zero), pacer.TryReserve("42"));
        Assert.Equal((false, TimeSpan.FromSeconds(1)), pacer.TryReserve("42"));
        _time.Advance(TimeSpan.FromSeconds(1));
        Assert.Equal((true, TimeSpan.Zero), pacer.TryReserve("42"));
    }

    [Fact]
    public void TryReserve_LetsOtherChatsThrough_WhileOneChatWaits()
    {
        var pacer = Pacer();
        pacer.TryReserve("1");

        Assert.False(pacer.TryReserve("1").Reserved);
        Assert.Equal((true, TimeSpan.Zero), pacer.TryReserve("2"));
    }

    [Fact]
    public void TryReserve_LimitsAGroupTo20AMinute()
    {
        var pacer = Pacer(chat: 100);
        for (var i = 0; i < 20; i++) Assert.True(pacer.TryReserve("-100").Reserved);

        var (reserved, wait) = pacer.TryReserve("-100");

        Assert.False(reserved);
        Assert.Equal(TimeSpan.FromMinutes(1), wait);
    }

    [Fact]
    public void TryReserve_QueuesForAGlobalSlot_WhenAllChatsTogetherReachTheLimit()
    {
        var pacer = Pacer(global: 3);
        for (var i = 0; i < 3; i++) Assert.Equal((true, TimeSpan.Zero), pacer.TryReserve($"{i}"));

        Assert.Equal((true, TimeSpan.FromSeconds(1)), pacer.TryReserve("99"));
    }

    [Fact]
    public void Block_HoldsOnlyThatChat_UntilRetryAfterPasses()
    {
        var pacer = Pacer(chat: 100);
        pacer.Block("7", TimeSpan.FromSeconds(30));

        Assert.Equal((false, TimeSpan.FromSeconds(30)), pacer.TryReserve("7"));
        Assert.True(pacer.TryReserve("8").Reserved);
        _time.Advance(TimeSpan.FromSeconds(30));
        Assert.True(pacer.TryReserve("7").Reserved);
    }

    [Fact]
    public async Task WaitAsync_CompletesOnlyWhenFakeTimeReachesTheSlot()
    {
        var pacer = Pacer();
        await pacer.WaitAsync("5", CancellationToken.None);

        var second = pacer.WaitAsync("5", CancellationToken.None);
        Assert.False(second.IsCompleted);
        _time.Advance(TimeSpan.FromMilliseconds(999));
        Assert.False(second.IsCompleted);
        _time.Advance(TimeSpan.FromMilliseconds(1));
        await second.WaitAsync(TimeSpan.FromSeconds(10));
    }
}
