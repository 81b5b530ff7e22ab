using System.Text.RegularExpressions;
using HandsBot.Telegram.Tests.Fakes;
using HandsBot.Tests.Cli;
using Xunit.Abstractions;

namespace HandsBot.Tests.Lifecycle;

/// <summary>
/// The real `handsbot serve` without crashes, for a minute: 20 interval hands delivering to 10 Telegram
/// chats (the fake Bot API) and the console. Every output arrives exactly once in its chat and on the
/// console; before the outbox claimed its items, about 2 % were sent twice.
/// </summary>
public sealed partial class DeliveryLoadTests(ITestOutputHelper output) : IAsyncLifetime, IDisposable
{
    private const int HandCount = 20;
    private const int ChatCount = 10;
    private readonly FakeBotApi _api = new();
    private TempBot _bot = null!;

    private static string Chat(int i) => "-100" + (i % ChatCount);

    public async Task InitializeAsync()
    {
        await _api.StartAsync();
        var channels = string.Concat(Enumerable.Range(0, ChatCount).Select(i => $"[channels.c{i}]\ntelegram = \"{Chat(i)}\"\n"));
        _bot = new TempBot($"""
            [console]
            enabled = true
            [telegram]
            token = "{_api.Token}"
            api_url = "{_api.BaseUrl}"
            {channels}
            """);
        for (var i = 0; i < HandCount; i++)
        {
            _bot.AddHand($"load-{i}", $"[hand]\n[hand.schedule]\ninterval = 4\n[run]\ncommand = \"echo OUT:$HAND_RUN_ID:END\"\n[output]\nchannel = [\"c{i % ChatCount}\", \"console\"]\n");
        }
    }

    public async Task DisposeAsync() => await _api.DisposeAsync();

    public void Dispose() => _bot.Dispose();

    private string Database => Path.Combine(_bot.Root, "data", "handsbot.db");

    [Fact]
    public async Task TwentyHandsForAMinute_EveryOutputArrivesExactlyOnceInItsChatAndOnTheConsole()
    {
        await using var bot = CliProcess.Start(["serve", "--config", _bot.ConfigPath]);
        await bot.WaitForOutputAsync("HandsBot is running");
        await Task.Delay(TimeSpan.FromSeconds(60)); // the load runs for a minute; nothing is synchronised on this
        for (var i = 0; i < HandCount; i++) await bot.SendAsync($"/pause load-{i}");
        await ProcessTable.WaitUntilAsync(Settled, "every run has an outcome and every message is delivered", seconds: 120);
        bot.Signal(15);
        Assert.Equal(0, await bot.WaitForExitAsync(60));

        var runs = await BotDatabase.QueryAsync(Database, "SELECT id, hand, outcome FROM executions;");
        var console = Counts(bot.Stdout);
        var deliveries = 0;
        Assert.True(runs.Count >= HandCount * 10, $"only {runs.Count} runs");
        foreach (var run in runs)
        {
            Assert.Equal("success", run["outcome"]);
            var id = (string)run["id"]!;
            var chat = Chat(int.Parse(((string)run["hand"]!)["load-".Length..], System.Globalization.CultureInfo.InvariantCulture));
            Assert.Equal(1, _api.MessagesIn(chat).Count(m => m.Text.Contains($"OUT:{id}:END", StringComparison.Ordinal)));
            Assert.Equal(1, console.GetValueOrDefault(id));
            deliveries += 2;
        }
        Assert.Equal(0L, (long)(await BotDatabase.QueryAsync(Database, "SELECT count(*) AS n FROM outbox WHERE attempts > 1 OR takeovers > 0;")).Single()["n"]!);
        output.WriteLine($"{runs.Count} runs, {deliveries} deliveries, each exactly once; Telegram messages {_api.Messages.Count}");
    }

    private bool Settled() =>
        (long)BotDatabase.QueryAsync(Database, "SELECT (SELECT count(*) FROM executions WHERE outcome IS NULL) + (SELECT count(*) FROM outbox WHERE status = 'pending') AS n;").GetAwaiter().GetResult().Single()["n"]! == 0;

    private static Dictionary<string, int> Counts(string text) =>
        OutToken().Matches(text).GroupBy(m => m.Groups[1].Value).ToDictionary(g => g.Key, g => g.Count(), StringComparer.Ordinal);

    [GeneratedRegex("OUT:([A-Za-z0-9_-]+):END")]
    private static partial Regex OutToken();
}
