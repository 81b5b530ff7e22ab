using HandsBot.Telegram.Tests.Fakes;
using HandsBot.Telegram.Tests.Support;

namespace HandsBot.Telegram.Tests;

/// <summary>Commands arrive by long polling from the fake Bot API and are answered in the same chat and topic.</summary>
public sealed class PollingCommandTests : IAsyncLifetime
{
    private readonly FakeBotApi _api = new();
    private TelegramHarness _bot = null!;

    public async Task InitializeAsync()
    {
        await _api.StartAsync();
        _bot = new TelegramHarness(_api);
        await _bot.StartAsync();
    }

    public async Task DisposeAsync()
    {
        await _bot.DisposeAsync();
        await _api.DisposeAsync();
    }

    public static TheoryData<string, string[]> EveryCommand => new()
    {
        { "/hands", [] },
        { "/run oracle", ["oracle"] },
        { "/pause oracle", ["oracle"] },
        { "/resume oracle", ["oracle"] },
        { "/status oracle", ["oracle"] },
        { "/history oracle 5", ["oracle", "5"] },
        { "/approvals", [] },
        { "/approve ab12", ["ab12"] },
        { "/reject ab12", ["ab12"] },
        { "/help", [] },
    };

    [Theory]
    [MemberData(nameof(EveryCommand))]
    public async Task Command_InPrivateChat_IsTranslatedAndAnsweredAsAReply(string text, string[] args)
    {
        var update = FakeUpdates.Text(FakeUpdates.PrivateChat(42), FakeUpdates.Person(42, "Ann"), text);
        _api.Enqueue(update);

        var reply = await ReplyIn("42");

        var command = Assert.Single(_bot.Commands.ReceivedCommands);
        Assert.Equal(text.Split(' ')[0][1..], command.Name);
        Assert.Equal(args, command.Args);
        Assert.Equal(("telegram", "42", "Ann", "telegram:42"), (command.User.Platform, command.User.UserId, command.User.DisplayName, command.User.Identity));
        Assert.Equal(("42", null, true), (command.Place.ChatId, command.Place.ThreadId, command.Place.IsPrivate));
        Assert.Equal(update.Message!.Id, reply.ReplyTo);
        Assert.Equal("HTML", reply.ParseMode, ignoreCase: true);
        Assert.True(reply.LinkPreviewDisabled);
        Assert.Null(reply.ThreadId);
    }

    [Theory]
    [MemberData(nameof(EveryCommand))]
    public async Task Command_InGroup_IsNotPrivate(string text, string[] args)
    {
        _api.Enqueue(FakeUpdates.Text(FakeUpdates.Group(-500), FakeUpdates.Person(7), text));

        await ReplyIn("-500");

        var command = Assert.Single(_bot.Commands.ReceivedCommands);
        Assert.Equal(args, command.Args);
        Assert.Equal(("-500", null, false), (command.Place.ChatId, command.Place.ThreadId, command.Place.IsPrivate));
    }

    [Theory]
    [MemberData(nameof(EveryCommand))]
    public async Task Command_InForumTopic_IsAnsweredInThatTopic(string text, string[] args)
    {
        _api.Enqueue(FakeUpdates.Text(FakeUpdates.Group(-1001, forum: true), FakeUpdates.Person(7), text, topicId: 77));

        var reply = await ReplyIn("-1001");

        var command = Assert.Single(_bot.Commands.ReceivedCommands);
        Assert.Equal(args, command.Args);
        Assert.Equal(("-1001", "77", false), (command.Place.ChatId, command.Place.ThreadId, command.Place.IsPrivate));
        Assert.Equal(77, reply.ThreadId);
    }

    [Fact]
    public async Task Command_AddressedToThisBot_IsHandled()
    {
        _api.Enqueue(FakeUpdates.Text(FakeUpdates.Group(-500), FakeUpdates.Person(7), "/run@HandsTestBot oracle"));

        var reply = await ReplyIn("-500");

        Assert.Equal("ok /run oracle", reply.Text);
        Assert.Equal(["oracle"], Assert.Single(_bot.Commands.ReceivedCommands).Args);
    }

    [Fact]
    public async Task Command_AddressedToAnotherBot_IsIgnored()
    {
        _api.Enqueue(FakeUpdates.Text(FakeUpdates.Group(-500), FakeUpdates.Person(7), "/run@OtherBot oracle"));
        var marker = _api.Enqueue(FakeUpdates.Text(FakeUpdates.Group(-500), FakeUpdates.Person(7), "/hands"));

        // The second command's reply proves the first was processed (and skipped) before it.
        await ReplyIn("-500");
        await _api.WaitUntilAsync(a => a.ConfirmedOffset > marker || _bot.Settings.Values.ContainsKey("telegram:polling_offset"), "offset stored");

        var command = Assert.Single(_bot.Commands.ReceivedCommands);
        Assert.Equal("hands", command.Name);
        Assert.Single(_api.MessagesIn("-500"));
    }

    [Fact]
    public async Task Start_IsAnsweredWithHelp()
    {
        _api.Enqueue(FakeUpdates.Text(FakeUpdates.PrivateChat(42), FakeUpdates.Person(42), "/start"));

        await ReplyIn("42");

        Assert.Equal("help", Assert.Single(_bot.Commands.ReceivedCommands).Name);
    }

    [Fact]
    public async Task PlainText_IsIgnored()
    {
        _api.Enqueue(FakeUpdates.Text(FakeUpdates.PrivateChat(42), FakeUpdates.Person(42), "hello there"));
        _api.Enqueue(FakeUpdates.Text(FakeUpdates.PrivateChat(42), FakeUpdates.Person(42), "/help"));

        await ReplyIn("42");

        Assert.Equal("help", Assert.Single(_bot.Commands.ReceivedCommands).Name);
    }

    [Fact]
    public async Task ChatIdCommand_InTopic_ShowsTheRouteToPaste()
    {
        _api.Enqueue(FakeUpdates.Text(FakeUpdates.Group(-1001, "Ops Team", forum: true), FakeUpdates.Person(7), "/chatid", topicId: 77));

        var reply = await ReplyIn("-1001");

        Assert.Contains("<code>-1001:77</code>", reply.Text);
        Assert.Contains("[channels.ops-team-77]\ntelegram = \"-1001:77\"", reply.Text);
        Assert.Equal(77, reply.ThreadId);
        Assert.Empty(_bot.Commands.ReceivedCommands);
    }

    [Fact]
    public async Task Reply_WithButtons_HasAnInlineKeyboardWithTheButtonIds()
    {
        _bot.Commands.OnCommand = _ => new HandsBot.Core.Chat.ChatReply
        {
            Markdown = "Pending: deploy",
            Buttons = [[new("Approve", "ap:1:y", HandsBot.Core.Delivery.ButtonStyle.Success), new("Reject", "ap:1:n")]],
        };
        _api.Enqueue(FakeUpdates.Text(FakeUpdates.PrivateChat(42), FakeUpdates.Person(42), "/approvals"));

        var reply = await ReplyIn("42");

        Assert.Equal([("Approve", "ap:1:y"), ("Reject", "ap:1:n")], Assert.Single(reply.Keyboard));
    }

    private async Task<FakeMessage> ReplyIn(string chatId)
    {
        await _api.WaitUntilAsync(a => a.MessagesIn(chatId).Count > 0, $"a reply in {chatId}");
        return _api.MessagesIn(chatId)[0];
    }
}
