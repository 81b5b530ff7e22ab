using HandsBot.Core.Configuration;
using HandsBot.Core.Delivery;
using HandsBot.Telegram.Tests.Fakes;
using HandsBot.Telegram.Tests.Support;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace HandsBot.Telegram.Tests;

/// <summary>The adapter reports its state at start (for the console fallback and /status) and says where a rejected token came from.</summary>
public sealed class ChannelHealthTests : IAsyncLifetime
{
    private readonly FakeBotApi _api = new();

    public async Task InitializeAsync() => await _api.StartAsync();

    public async Task DisposeAsync() => await _api.DisposeAsync();

    private sealed class TokenFromEnvironment : ISettingOrigins
    {
        public string Locate(string path) => "HANDSBOT_TELEGRAM__TOKEN";

        public string Describe(string path) => "the environment variable HANDSBOT_TELEGRAM__TOKEN";
    }

    private static Task<ChannelStatus> NextState(ChannelHealth health, ChannelState state)
    {
        var reached = new TaskCompletionSource<ChannelStatus>(TaskCreationOptions.RunContinuationsAsynchronously);
        health.Changed += s =>
        {
            if (s.Platform == "telegram" && s.State == state) reached.TrySetResult(s);
        };
        if (health.Get("telegram") is { } now && now.State == state) reached.TrySetResult(now);
        return reached.Task.WaitAsync(TimeSpan.FromSeconds(20));
    }

    [Fact]
    public async Task Polling_ReportsConnected_OnceGetMeSucceeded()
    {
        await using var bot = new TelegramHarness(_api);
        var connected = NextState(bot.Services.GetRequiredService<ChannelHealth>(), ChannelState.Connected);

        await bot.StartAsync();

        Assert.Null((await connected).Detail);
    }

    [Fact]
    public async Task BadToken_ReportsUnauthorized_AndTheLogNamesWhereTheTokenCameFrom()
    {
        await using var bot = new TelegramHarness(_api, telegram: o => o.Token = "999999:wrong", configure: s => s.AddSingleton<ISettingOrigins>(new TokenFromEnvironment()));
        var unauthorized = NextState(bot.Services.GetRequiredService<ChannelHealth>(), ChannelState.Unauthorized);

        await bot.StartAsync();

        Assert.StartsWith("Telegram rejected the bot token (401", (await unauthorized).Detail, StringComparison.Ordinal);
        var error = Assert.Single(bot.Logs.Lines, l => l.Level == LogLevel.Error).Text;
        Assert.Contains("check the environment variable HANDSBOT_TELEGRAM__TOKEN", error, StringComparison.Ordinal);
        Assert.DoesNotContain("handsbot.toml", error, StringComparison.Ordinal);
    }
}
