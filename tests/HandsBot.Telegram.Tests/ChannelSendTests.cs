using HandsBot.Core.Delivery;
using HandsBot.Telegram.Tests.Fakes;
using HandsBot.Telegram.Tests.Support;
using Microsoft.Extensions.Logging;

namespace HandsBot.Telegram.Tests;

/// <summary>TelegramChannel as the outbox uses it, against the fake Bot API.</summary>
public sealed class ChannelSendTests : IAsyncLifetime
{
    private readonly FakeBotApi _api = new();
    private TelegramHarness _bot = null!;

    public async Task InitializeAsync() => await _api.StartAsync();

    public async Task DisposeAsync()
    {
        if (_bot is not null) await _bot.DisposeAsync();
        await _api.DisposeAsync();
    }

    private TelegramHarness Bot(Action<TelegramAdapterOptions>? adapter = null) => _bot = new TelegramHarness(_api, adapter: adapter);

    private static OutboundPart Part(string text, string? plain = null) => new() { Text = text, PlainText = plain };

    [Fact]
    public async Task SendAsync_SendsHtmlToTheTopic_WithoutLinkPreviews()
    {
        var channel = Bot().Channel;

        var result = await channel.SendAsync(new ChannelTarget("telegram", "-1001", "12"), Part("<b>done</b> see https://x.test"), "k", CancellationToken.None);

        Assert.Equal(SendStatus.Delivered, result.Status);
        var sent = Assert.Single(_api.Messages);
        Assert.Equal(sent.MessageId.ToString(System.Globalization.CultureInfo.InvariantCulture), result.MessageId);
        Assert.Equal(("-1001", 12, "<b>done</b> see https://x.test", true), (sent.ChatId, sent.ThreadId, sent.Text, sent.LinkPreviewDisabled));
        Assert.Equal("HTML", sent.ParseMode, ignoreCase: true);
    }

    [Fact]
    public async Task SendAsync_UnderstandsChatColonTopicTargets()
    {
        var result = await Bot().Channel.SendAsync(new ChannelTarget("telegram", "-1001:34"), Part("hi"), "k", CancellationToken.None);

        Assert.Equal(SendStatus.Delivered, result.Status);
        Assert.Equal(34, Assert.Single(_api.Messages).ThreadId);
    }

    [Fact]
    public async Task SendAsync_IsPermanent_WhenTargetIsNotAChatId()
    {
        var result = await Bot().Channel.SendAsync(new ChannelTarget("telegram", "ops"), Part("hi"), "k", CancellationToken.None);

        Assert.Equal(SendStatus.Permanent, result.Status);
        Assert.Contains("not a Telegram chat id", result.Error);
        Assert.Empty(_api.Messages);
    }

    [Fact]
    public async Task Burst_Of100ToOneChat_IsPacedSoTelegramNeverRefuses()
    {
        // The fake refuses more than 10 messages per 150 ms per chat; the pacer allows 5 per 150 ms, a margin
        // for network jitter between when the pacer lets a send go and when the server counts it.
        _api.RateLimits = new FakeRateLimits(10, TimeSpan.FromMilliseconds(150));
        var channel = Bot(o => { o.ChatMessages = 5; o.ChatWindow = TimeSpan.FromMilliseconds(150); }).Channel;

        var sends = Enumerable.Range(1, 100).Select(i => channel.SendAsync(new ChannelTarget("telegram", "42"), Part($"message {i}"), $"k{i}", CancellationToken.None)).ToList();
        var results = await Task.WhenAll(sends);

        Assert.All(results, r => Assert.Equal(SendStatus.Delivered, r.Status));
        Assert.Equal(0, _api.TooManyRequestsSent);
        Assert.Equal(Enumerable.Range(1, 100).Select(i => $"message {i}"), _api.MessagesIn("42").Select(m => m.Text));
    }

    [Fact]
    public async Task Burst_WithoutPacing_WouldBeRefused()
    {
        // Control for the test above: the fake's flood control really bites when the pacer is too loose.
        _api.RateLimits = new FakeRateLimits(10, TimeSpan.FromMilliseconds(150));
        var channel = Bot(o => o.ChatMessages = 1000).Channel;

        var results = new List<SendResult>();
        for (var i = 0; i < 30; i++) results.Add(await channel.SendAsync(new ChannelTarget("telegram", "42"), Part($"m{i}"), "k", CancellationToken.None));

        Assert.Contains(results, r => r.Status == SendStatus.Transient && r.RetryAfter == TimeSpan.FromSeconds(1));
    }

    [Fact]
    public async Task TooManyRequests_IsTransientWithRetryAfter_AndOrderIsKeptWhenRetried()
    {
        var channel = Bot().Channel;
        _api.FailNext("sendMessage", 2, FakeFault.TooManyRequests(1));

        var results = await OutboxDriver.DeliverAsync(channel, new ChannelTarget("telegram", "42"), Enumerable.Range(1, 5).Select(i => Part($"part {i}")));

        Assert.All(results, r => Assert.Equal(SendStatus.Delivered, r.Status));
        Assert.Equal(Enumerable.Range(1, 5).Select(i => $"part {i}"), _api.MessagesIn("42").Select(m => m.Text));
        Assert.Equal(2, _api.TooManyRequestsSent);
    }

    [Fact]
    public async Task TooManyRequests_BlocksOnlyThatChatInThePacer()
    {
        var channel = Bot().Channel;
        _api.FailNext("sendMessage", 1, FakeFault.TooManyRequests(30));

        using var cancel = new CancellationTokenSource();

        var first = await channel.SendAsync(new ChannelTarget("telegram", "42"), Part("a"), "k", CancellationToken.None);
        var other = await channel.SendAsync(new ChannelTarget("telegram", "43"), Part("b"), "k", CancellationToken.None);
        var blocked = channel.SendAsync(new ChannelTarget("telegram", "42"), Part("c"), "k", cancel.Token);

        Assert.Equal((SendStatus.Transient, TimeSpan.FromSeconds(30)), (first.Status, first.RetryAfter));
        Assert.Equal(SendStatus.Delivered, other.Status);
        Assert.False(blocked.IsCompleted, "chat 42 must wait out its retry_after");
        Assert.Empty(_api.MessagesIn("42"));
        await cancel.CancelAsync();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => blocked);
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task ServerErrors_AreTransient_AndNothingIsLostWhenRetried(bool htmlBody)
    {
        var channel = Bot().Channel;
        _api.FailNext("sendMessage", 3, htmlBody ? FakeFault.BadGateway() : FakeFault.ServerError());

        var first = await channel.SendAsync(new ChannelTarget("telegram", "42"), Part("part 0"), "k", CancellationToken.None);
        var results = await OutboxDriver.DeliverAsync(channel, new ChannelTarget("telegram", "42"), Enumerable.Range(1, 4).Select(i => Part($"part {i}")));

        Assert.Equal(SendStatus.Transient, first.Status);
        Assert.All(results, r => Assert.Equal(SendStatus.Delivered, r.Status));
        Assert.Equal(Enumerable.Range(1, 4).Select(i => $"part {i}"), _api.MessagesIn("42").Select(m => m.Text));
    }

    [Fact]
    public async Task NetworkError_IsTransient()
    {
        await using var offline = new TelegramHarness(_api, telegram: o => o.ApiUrl = "http://127.0.0.1:1");

        var result = await offline.Channel.SendAsync(new ChannelTarget("telegram", "42"), Part("hi"), "k", CancellationToken.None);

        Assert.Equal(SendStatus.Transient, result.Status);
        Assert.DoesNotContain(FakeBotApi.DefaultToken, result.Error);
    }

    [Fact]
    public async Task UnparsableHtml_IsResentOnceAsPlainText_AndTheRendererBugLogged()
    {
        var bot = Bot();

        var result = await bot.Channel.SendAsync(new ChannelTarget("telegram", "42"), Part("<b>broken", "broken"), "k", CancellationToken.None);

        Assert.Equal(SendStatus.Delivered, result.Status);
        var sent = Assert.Single(_api.Messages);
        Assert.Equal("broken", sent.Text);
        Assert.Null(sent.ParseMode);
        Assert.Contains(bot.Logs.Lines, l => l.Level == LogLevel.Error && l.Text.Contains("Renderer bug", StringComparison.Ordinal));
    }

    [Fact]
    public async Task TooLongMessage_IsPermanentWithTelegramsReason()
    {
        var result = await Bot().Channel.SendAsync(new ChannelTarget("telegram", "42"), Part(new string('x', 5000)), "k", CancellationToken.None);

        Assert.Equal(SendStatus.Permanent, result.Status);
        Assert.Contains("message is too long", result.Error);
    }

    [Theory]
    [InlineData(true, "bot was kicked")]
    [InlineData(false, "chat not found")]
    public async Task KickedOrUnknownChat_IsPermanentWithTheReason(bool kicked, string reason)
    {
        (kicked ? _api.KickedChats : _api.UnknownChats).Add("-77");

        var result = await Bot().Channel.SendAsync(new ChannelTarget("telegram", "-77"), Part("hi"), "k", CancellationToken.None);

        Assert.Equal(SendStatus.Permanent, result.Status);
        Assert.Contains(reason, result.Error);
    }

    [Fact]
    public async Task GroupUpgradedToSupergroup_IsPermanent_AndNamesTheNewChatId()
    {
        var channel = Bot().Channel;
        _api.FailNext("sendMessage", 1, FakeFault.Migrated(-1009876));

        var result = await channel.SendAsync(new ChannelTarget("telegram", "-4242"), Part("hi"), "k", CancellationToken.None);

        Assert.Equal(SendStatus.Permanent, result.Status);
        Assert.Contains("new chat id is -1009876", result.Error);
        Assert.Contains("\"-4242\"", result.Error);
    }

    [Fact]
    public async Task BlockedByUser_IsPermanent_AndLaterSendsDoNotCallTelegram()
    {
        var bot = Bot();
        _api.FailNext("sendMessage", 1, FakeFault.Blocked());

        var first = await bot.Channel.SendAsync(new ChannelTarget("telegram", "31"), Part("hi"), "k", CancellationToken.None);
        var calls = _api.CallCount("sendMessage");
        var second = await bot.Channel.SendAsync(new ChannelTarget("telegram", "31"), Part("hi"), "k", CancellationToken.None);

        Assert.Equal((SendStatus.Permanent, SendStatus.Permanent), (first.Status, second.Status));
        Assert.Contains("blocked by the user", first.Error);
        Assert.Contains("bot was removed from the chat 31", second.Error);
        Assert.Equal(calls, _api.CallCount("sendMessage"));
    }

    [Fact]
    public async Task ButtonIdOver64Bytes_IsPermanent_WithoutCallingTelegram()
    {
        var part = Part("pick") with { Buttons = [[new ChatButton("Go", new string('x', 65))]] };

        var result = await Bot().Channel.SendAsync(new ChannelTarget("telegram", "42"), part, "k", CancellationToken.None);

        Assert.Equal(SendStatus.Permanent, result.Status);
        Assert.Contains("64 bytes", result.Error);
        Assert.Equal(0, _api.CallCount("sendMessage"));
    }

    [Fact]
    public async Task EditAsync_ReplacesTextAndRemovesButtons_AndNotModifiedIsSuccess()
    {
        var channel = Bot().Channel;
        var target = new ChannelTarget("telegram", "42");
        var sent = await channel.SendAsync(target, Part("Approve?") with { Buttons = [[new ChatButton("Yes", "y")]] }, "k", CancellationToken.None);

        var edited = await channel.EditAsync(target, sent.MessageId!, Part("Approved"), CancellationToken.None);
        var again = await channel.EditAsync(target, sent.MessageId!, Part("Approved"), CancellationToken.None);

        Assert.Equal((SendStatus.Delivered, sent.MessageId), (edited.Status, edited.MessageId));
        Assert.Equal((SendStatus.Delivered, sent.MessageId), (again.Status, again.MessageId));
        var message = Assert.Single(_api.Messages);
        Assert.Equal(("Approved", 1), (message.Text, message.EditCount));
        Assert.Empty(message.Keyboard);
    }

    [Fact]
    public async Task EditAsync_IsPermanent_WhenMessageIsGone()
    {
        var result = await Bot().Channel.EditAsync(new ChannelTarget("telegram", "42"), "999", Part("x"), CancellationToken.None);

        Assert.Equal(SendStatus.Permanent, result.Status);
        Assert.Contains("message to edit not found", result.Error);
    }

    [Fact]
    public async Task LongOutput_SentAsFile_IsAMessagePlusADocument()
    {
        var channel = Bot().Channel;
        var parts = channel.Render(new OutgoingContent { Text = "report", FileName = "oracle.md" }) is var rendered && rendered.Count == 1
            ? [rendered[0], new OutboundPart { Kind = PartKind.File, Text = "", FileName = "oracle.md", FileContent = "# Full report\nline" }]
            : rendered;

        var results = await OutboxDriver.DeliverAsync(channel, new ChannelTarget("telegram", "42"), parts);

        Assert.All(results, r => Assert.True(r.Status == SendStatus.Delivered, r.Error));
        var messages = _api.MessagesIn("42");
        Assert.Equal(2, messages.Count);
        Assert.Equal("oracle.md", messages[1].FileName);
        Assert.Equal("# Full report\nline", messages[1].FileContent);
    }

    [Fact]
    public void Render_PutsButtonsOnTheLastPart()
    {
        var parts = Bot().Channel.Render(new OutgoingContent { Text = "Deploy?", Title = "gate", Buttons = [[new ChatButton("Approve", "a")]] });

        Assert.Equal("a", Assert.Single(Assert.Single(parts[^1].Buttons)).Id);
        Assert.Contains("Deploy?", string.Concat(parts.Select(p => p.Text)));
    }
}
