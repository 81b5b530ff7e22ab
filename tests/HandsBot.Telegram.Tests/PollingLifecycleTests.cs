using HandsBot.Core.Configuration;
using HandsBot.Core.Delivery;
using Microsoft.Extensions.DependencyInjection;
using HandsBot.Telegram.Tests.Fakes;
using HandsBot.Telegram.Tests.Support;
using Microsoft.Extensions.Logging;

namespace HandsBot.Telegram.Tests;

/// <summary>Offsets across restarts, conflicts, command registration and a bad token.</summary>
public sealed class PollingLifecycleTests : IAsyncLifetime
{
    private readonly FakeBotApi _api = new();
    private readonly InMemorySettingsStore _settings = new();

    public async Task InitializeAsync() => await _api.StartAsync();

    public async Task DisposeAsync() => await _api.DisposeAsync();

    [Fact]
    public async Task Restart_MidPoll_ResumesFromTheStoredOffset_AndAnswersEachCommandOnce()
    {
        var first = new TelegramHarness(_api, _settings);
        var third = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        first.Commands.BeforeReply = (c, ct) =>
        {
            if (c.Args[0] != "3") return Task.CompletedTask;
            third.TrySetResult();
            return Task.Delay(Timeout.Infinite, ct);
        };
        var ids = Enumerable.Range(1, 5).Select(i => _api.Enqueue(FakeUpdates.Text(FakeUpdates.PrivateChat(42), FakeUpdates.Person(42), $"/status {i}"))).ToList();
        await first.StartAsync();
        await third.Task.WaitAsync(TimeSpan.FromSeconds(20));

        await first.DisposeAsync(); // the "crash": /status 3 was being handled, never answered
        Assert.Equal($"{ids[2]}", _settings.Values["telegram:polling_offset"]);

        await using var second = new TelegramHarness(_api, _settings);
        await second.StartAsync();
        await _api.WaitUntilAsync(a => a.MessagesIn("42").Count == 5, "five replies");

        Assert.Equal(["1", "2", "3"], first.Commands.ReceivedCommands.Select(c => c.Args[0]));
        Assert.Equal(["3", "4", "5"], second.Commands.ReceivedCommands.Select(c => c.Args[0]));
        Assert.Equal(Enumerable.Range(1, 5).Select(i => $"ok /status {i}"), _api.MessagesIn("42").Select(m => m.Text));
        await _api.WaitUntilAsync(a => a.ConfirmedOffset == ids[4] + 1 || _settings.Values["telegram:polling_offset"] == $"{ids[4] + 1}", "offset past the last update");
        Assert.Equal($"{ids[4] + 1}", _settings.Values["telegram:polling_offset"]);
    }

    [Theory]
    [InlineData("Conflict: terminated by other getUpdates request; make sure that only one bot instance is running")]
    [InlineData("Conflict: can't use getUpdates method while webhook is active; use deleteWebhook to delete the webhook first")]
    public async Task Conflict_IsLoggedClearly_AndPollingRecovers(string description)
    {
        _api.FailNext("getUpdates", 2, new FakeFault(409, description));
        _api.Enqueue(FakeUpdates.Text(FakeUpdates.PrivateChat(42), FakeUpdates.Person(42), "/hands"));
        await using var bot = new TelegramHarness(_api, _settings);

        await bot.StartAsync();
        await _api.WaitUntilAsync(a => a.MessagesIn("42").Count == 1, "the reply after the conflict");

        Assert.Equal(2, bot.Logs.Lines.Count(l => l.Level == LogLevel.Error && l.Text.Contains("conflict", StringComparison.Ordinal) && l.Text.Contains(description, StringComparison.Ordinal)));
    }

    [Fact]
    public async Task PollingErrors_CoolDown_AndTheLoopNeverDies()
    {
        _api.FailNext("getUpdates", 3, FakeFault.BadGateway());
        _api.Enqueue(FakeUpdates.Text(FakeUpdates.PrivateChat(42), FakeUpdates.Person(42), "/hands"));
        await using var bot = new TelegramHarness(_api, _settings);

        await bot.StartAsync();
        await _api.WaitUntilAsync(a => a.MessagesIn("42").Count == 1, "the reply after the errors");

        Assert.Equal(3, bot.Logs.Lines.Count(l => l.Level == LogLevel.Warning && l.Text.Contains("polling failed", StringComparison.Ordinal)));
    }

    [Fact]
    public async Task FailingCommandService_SkipsThatUpdate_AndHandlesTheNext()
    {
        await using var bot = new TelegramHarness(_api, _settings);
        bot.Commands.OnCommand = c => c.Name == "run" ? throw new InvalidOperationException("boom") : new HandsBot.Core.Chat.ChatReply { Markdown = "fine" };
        _api.Enqueue(FakeUpdates.Text(FakeUpdates.PrivateChat(42), FakeUpdates.Person(42), "/run x"));
        _api.Enqueue(FakeUpdates.Text(FakeUpdates.PrivateChat(42), FakeUpdates.Person(42), "/hands"));

        await bot.StartAsync();
        await _api.WaitUntilAsync(a => a.MessagesIn("42").Count == 1, "the second reply");

        Assert.Equal("fine", _api.MessagesIn("42")[0].Text);
        Assert.Contains(bot.Logs.Lines, l => l.Level == LogLevel.Error && l.Text.Contains("boom", StringComparison.Ordinal));
    }

    [Fact]
    public async Task SetMyCommands_IsCalledOnlyWhenTheListChanged()
    {
        await using (var first = new TelegramHarness(_api, _settings))
        {
            await first.StartAsync();
            await _api.WaitUntilAsync(a => a.CallCount("getUpdates") > 0, "polling to start");
        }
        Assert.Equal(1, _api.CallCount("setMyCommands"));
        Assert.Equal(["hands", "run", "pause", "resume", "status", "history", "approvals", "approve", "reject", "help", "chatid"], _api.MyCommands.Select(c => c.Command));

        var polls = _api.CallCount("getUpdates");
        await using (var unchanged = new TelegramHarness(_api, _settings))
        {
            await unchanged.StartAsync();
            await _api.WaitUntilAsync(a => a.CallCount("getUpdates") > polls, "polling to start again");
        }
        Assert.Equal(1, _api.CallCount("setMyCommands"));

        polls = _api.CallCount("getUpdates");
        var commands = new FakeChatCommandService();
        commands.Commands = [.. commands.Commands, new("logs", "/logs <hand>", "Show logs", true)];
        await using (var changed = new TelegramHarness(_api, _settings, commands))
        {
            await changed.StartAsync();
            await _api.WaitUntilAsync(a => a.CallCount("getUpdates") > polls, "polling to start a third time");
        }
        Assert.Equal(2, _api.CallCount("setMyCommands"));
        Assert.Contains(_api.MyCommands, c => c.Command == "logs");
    }

    [Fact]
    public async Task BadToken_StopsTelegramWithAClearError_ThatNeverShowsTheToken()
    {
        const string wrongToken = "999999:wrong-SECRET-token-value";
        await using var bot = new TelegramHarness(_api, _settings, telegram: o => o.Token = wrongToken);

        await bot.StartAsync();
        await bot.Logs.WaitForAsync(l => l.Level == LogLevel.Error, "the startup error");
        var send = await bot.Channel.SendAsync(new ChannelTarget("telegram", "42"), new OutboundPart { Text = "hi" }, "k", CancellationToken.None);

        var error = Assert.Single(bot.Logs.Lines, l => l.Level == LogLevel.Error).Text;
        Assert.Contains("rejected the bot token", error);
        Assert.Contains("401", error);
        Assert.All(bot.Logs.Lines, l => Assert.DoesNotContain(wrongToken, l.Text));
        Assert.Equal(SendStatus.Transient, send.Status);
        Assert.DoesNotContain(wrongToken, send.Error);
        Assert.Equal(["getMe"], _api.Calls);
    }

    [Fact]
    public async Task BadToken_InWebhookMode_MakesTheEndpointRefuseUpdates_SoTelegramKeepsThem()
    {
        await using var bot = new TelegramHarness(_api, _settings, telegram: o =>
        {
            o.Token = "999999:wrong";
            o.Mode = "webhook";
            o.WebhookUrl = "https://bot.example.test/tg";
            o.WebhookSecret = "s";
        }, configure: s => s.Configure<HttpOptions>(o => o.Listen = "http://127.0.0.1:0"));

        await bot.StartAsync();
        await bot.Logs.WaitForAsync(l => l.Level == LogLevel.Error, "the startup error");
        var receiver = (HandsBot.Telegram.Receiving.TelegramWebhookReceiver)bot.Services.GetService(typeof(HandsBot.Telegram.Receiving.TelegramWebhookReceiver))!;
        await receiver.Updates.Completion.WaitAsync(TimeSpan.FromSeconds(20));
        var context = new Microsoft.AspNetCore.Http.DefaultHttpContext();
        context.Request.Headers["X-Telegram-Bot-Api-Secret-Token"] = "s";
        context.Request.Body = new MemoryStream("{\"update_id\":1}"u8.ToArray());

        await receiver.ReceiveAsync(context);

        Assert.Equal(503, context.Response.StatusCode);
        Assert.Equal(0, _api.CallCount("setWebhook"));
    }
}
