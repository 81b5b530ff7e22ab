using HandsBot.Core.Chat;
using HandsBot.Core.Configuration;
using HandsBot.Core.Delivery;
using HandsBot.Telegram.Tests.Fakes;
using HandsBot.Telegram.Tests.Support;

namespace HandsBot.Telegram.Tests;

/// <summary>Approval buttons end to end, and the bot being added to and removed from groups.</summary>
public sealed class ButtonAndMembershipTests : IAsyncLifetime
{
    private readonly FakeBotApi _api = new();
    private TelegramHarness _bot = null!;

    public async Task InitializeAsync()
    {
        await _api.StartAsync();
        _bot = new TelegramHarness(_api, channels: o => o.Routes["ops"] = new ChannelRoute { Telegram = "-900" });
        await _bot.StartAsync();
    }

    public async Task DisposeAsync()
    {
        await _bot.DisposeAsync();
        await _api.DisposeAsync();
    }

    [Fact]
    public async Task ApprovalRoundTrip_UnauthorisedTapChangesNothing_ThenTheApproverDecides()
    {
        var group = FakeUpdates.Group(-500);
        _bot.Commands.OnCommand = _ => new ChatReply
        {
            Markdown = "deploy is waiting for approval",
            Buttons = [[new ChatButton("Approve", "ap:7:y", ButtonStyle.Success), new ChatButton("Reject", "ap:7:n", ButtonStyle.Danger)]],
        };
        _bot.Commands.OnButton = tap => tap.User.UserId == "42"
            ? new ButtonReply { Toast = "Approved", UpdatedMessage = new ChatReply { Markdown = "deploy approved by Ann" } }
            : new ButtonReply { Toast = "Not allowed", IsRefusal = true, UpdatedMessage = new ChatReply { Markdown = "must not be shown" } };
        _api.Enqueue(FakeUpdates.Text(group, FakeUpdates.Person(42, "Ann"), "/approvals"));
        await _api.WaitUntilAsync(a => a.MessagesIn("-500").Count == 1, "the approval message");
        var message = _api.MessagesIn("-500")[0];
        Assert.Equal([("Approve", "ap:7:y"), ("Reject", "ap:7:n")], Assert.Single(message.Keyboard));

        _api.Enqueue(FakeUpdates.Tap(group, FakeUpdates.Person(666, "Mallory"), message.MessageId, "ap:7:y"));
        await _api.WaitUntilAsync(a => a.CallbackAnswers.Count == 1, "the stranger's toast");
        _api.Enqueue(FakeUpdates.Tap(group, FakeUpdates.Person(42, "Ann"), message.MessageId, "ap:7:y"));
        await _api.WaitUntilAsync(a => a.MessagesIn("-500")[0].EditCount == 1, "the approved edit");

        Assert.Equal(["Not allowed", "Approved"], _api.CallbackAnswers.Select(a => a.Text));
        var taps = _bot.Commands.ReceivedTaps;
        Assert.Equal([("666", "ap:7:y"), ("42", "ap:7:y")], taps.Select(t => (t.User.UserId, t.ButtonId)));
        Assert.All(taps, t => Assert.Equal(($"{message.MessageId}", "-500", false), (t.MessageId, t.Place.ChatId, t.Place.IsPrivate)));
        var edited = _api.MessagesIn("-500")[0];
        Assert.Equal("deploy approved by Ann", edited.Text);
        Assert.Empty(edited.Keyboard);
        Assert.Equal(1, _api.CallCount("editMessageText"));
    }

    [Fact]
    public async Task Tap_WithPrivateReply_IsAnsweredInTheChat()
    {
        var chat = FakeUpdates.PrivateChat(42);
        _bot.Commands.OnButton = _ => new ButtonReply { Toast = "See below", PrivateReply = new ChatReply { Markdown = "details for you" } };

        _api.Enqueue(FakeUpdates.Tap(chat, FakeUpdates.Person(42), 5, "info:1"));
        await _api.WaitUntilAsync(a => a.MessagesIn("42").Count == 1, "the private reply");

        Assert.Equal("See below", Assert.Single(_api.CallbackAnswers).Text);
        Assert.Equal(("details for you", 5), (_api.MessagesIn("42")[0].Text, _api.MessagesIn("42")[0].ReplyTo));
    }

    [Fact]
    public async Task AddedToGroup_PostsAWelcomeWithTheChatIdAndConfigLines()
    {
        _api.Enqueue(FakeUpdates.Membership(FakeUpdates.Group(-500, "Ops Team"), FakeUpdates.Person(42), added: true));

        await _api.WaitUntilAsync(a => a.MessagesIn("-500").Count == 1, "the welcome");

        var welcome = _api.MessagesIn("-500")[0].Text;
        Assert.Contains("<code>-500</code>", welcome);
        Assert.Contains("<pre>[channels.ops-team]\ntelegram = \"-500\"</pre>", welcome);
        Assert.DoesNotContain("topic", welcome);
    }

    [Fact]
    public async Task AddedToForum_ExplainsHowToGetTopicIds()
    {
        _api.Enqueue(FakeUpdates.Membership(FakeUpdates.Group(-1001, "Dev", forum: true), FakeUpdates.Person(42), added: true));

        await _api.WaitUntilAsync(a => a.MessagesIn("-1001").Count == 1, "the welcome");

        Assert.Contains("/chatid inside a topic", _api.MessagesIn("-1001")[0].Text);
    }

    [Fact]
    public async Task AddedToAConfiguredGroup_SaysWhichChannelItIs()
    {
        _api.Enqueue(FakeUpdates.Membership(FakeUpdates.Group(-900, "Ops"), FakeUpdates.Person(42), added: true));

        await _api.WaitUntilAsync(a => a.MessagesIn("-900").Count == 1, "the welcome");

        Assert.Contains("already configured as <code>[channels.ops]</code>", _api.MessagesIn("-900")[0].Text);
    }

    [Fact]
    public async Task BlockedByAUser_IsRememberedForTheirPrivateChat()
    {
        _api.Enqueue(FakeUpdates.Membership(FakeUpdates.PrivateChat(31), FakeUpdates.Person(31, "Bob"), added: false));
        _api.Enqueue(FakeUpdates.Text(FakeUpdates.PrivateChat(42), FakeUpdates.Person(42), "/hands"));
        await _api.WaitUntilAsync(a => a.MessagesIn("42").Count == 1, "the update after the block");

        var result = await _bot.Channel.SendAsync(new ChannelTarget("telegram", "31"), new OutboundPart { Text = "report" }, "k", CancellationToken.None);

        Assert.Equal(SendStatus.Permanent, result.Status);
        Assert.Contains("blocked by Bob", result.Error);
        Assert.Empty(_api.MessagesIn("31"));
    }

    [Fact]
    public async Task RemovedFromGroup_IsRemembered_AndSendsArePermanentWithoutCallingTelegram()
    {
        var group = FakeUpdates.Group(-500, "Ops Team");
        _api.Enqueue(FakeUpdates.Membership(group, FakeUpdates.Person(42, "Ann"), added: false));
        _api.Enqueue(FakeUpdates.Text(FakeUpdates.PrivateChat(42), FakeUpdates.Person(42), "/hands"));
        await _api.WaitUntilAsync(a => a.MessagesIn("42").Count == 1, "the update after the removal");

        var result = await _bot.Channel.SendAsync(new ChannelTarget("telegram", "-500"), new OutboundPart { Text = "report" }, "k", CancellationToken.None);

        Assert.Equal(SendStatus.Permanent, result.Status);
        Assert.Contains("bot was removed from the chat -500", result.Error);
        Assert.Contains("kicked by Ann", _bot.Settings.Values["telegram:removed:-500"]);
        Assert.Empty(_api.MessagesIn("-500"));

        // A restart still knows (the store is shared), and adding the bot back clears it.
        await using var restarted = new TelegramHarness(_api, _bot.Settings);
        var afterRestart = await restarted.Channel.SendAsync(new ChannelTarget("telegram", "-500"), new OutboundPart { Text = "report" }, "k", CancellationToken.None);
        Assert.Equal(SendStatus.Permanent, afterRestart.Status);

        _api.Enqueue(FakeUpdates.Membership(group, FakeUpdates.Person(42, "Ann"), added: true));
        await _api.WaitUntilAsync(a => a.MessagesIn("-500").Count == 1, "the welcome back");
        var again = await _bot.Channel.SendAsync(new ChannelTarget("telegram", "-500"), new OutboundPart { Text = "report" }, "k", CancellationToken.None);
        Assert.Equal(SendStatus.Delivered, again.Status);
        Assert.False(_bot.Settings.Values.ContainsKey("telegram:removed:-500"));
    }
}
