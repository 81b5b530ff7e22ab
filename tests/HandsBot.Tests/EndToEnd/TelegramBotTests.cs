using HandsBot.Cli;
using HandsBot.Hosting;
using HandsBot.Telegram.Tests.Fakes;

namespace HandsBot.Tests.EndToEnd;

/// <summary>
/// The whole bot — engine, outbox, approvals, chat commands and the Telegram adapter on the real
/// Telegram.Bot client — against the fake Bot API: /run in a private chat, the approval request in a
/// group, a stranger's tap, then an operator's.
/// </summary>
public sealed class TelegramBotTests : IAsyncLifetime, IDisposable
{
    private const string Group = "-1001";
    private readonly FakeBotApi _api = new();
    private TempBot _bot = null!;

    public async Task InitializeAsync()
    {
        await _api.StartAsync();
        _bot = new TempBot($"""
            [telegram]
            token = "{_api.Token}"
            api_url = "{_api.BaseUrl}"
            default_chat = "{Group}"
            [access]
            operators = ["telegram:42"]
            """);
        _bot.AddHand("briefing", "[hand]\ndescription = \"Morning briefing\"\n[run]\ncommand = \"echo the held briefing\"\n[approval_gates]\npost = { action = \"broadcast\", description = \"Post the briefing\" }\n[output]\nchannel = \"telegram\"\n");
    }

    public async Task DisposeAsync() => await _api.DisposeAsync();

    public void Dispose() => _bot.Dispose();

    [Fact]
    public async Task RunFromAPrivateChat_PostsTheApprovalToTheGroup_AndOnlyAnOperatorsTapReleasesTheBriefing()
    {
        var (config, settings) = HandsBotCli.LoadConfig(_bot.ConfigPath);
        await using var app = BotHost.Build(config, settings, BotHost.Mode.Serve);
        await app.StartAsync();
        try
        {
            await _api.WaitUntilAsync(a => a.CallCount("getUpdates") > 0, "the bot polls");
            _api.Enqueue(FakeUpdates.Text(FakeUpdates.PrivateChat(42), FakeUpdates.Person(42, "Olga"), "/run briefing"));

            await _api.WaitUntilAsync(a => a.MessagesIn("42").Any(m => m.Text.Contains("started, run", StringComparison.Ordinal)), "the /run answer");
            await _api.WaitUntilAsync(a => a.MessagesIn(Group).Any(m => m.Keyboard.Count > 0), "the approval request in the group");
            var request = _api.MessagesIn(Group).Single(m => m.Keyboard.Count > 0);
            Assert.Contains("Approval needed", request.Text, StringComparison.Ordinal);
            var approve = request.Keyboard[0].Single(b => b.Text == "Approve").Data;
            Assert.DoesNotContain(_api.MessagesIn(Group), m => m.Text.Trim().EndsWith("the held briefing", StringComparison.Ordinal));

            _api.Enqueue(FakeUpdates.Tap(FakeUpdates.Group(long.Parse(Group, System.Globalization.CultureInfo.InvariantCulture)), FakeUpdates.Person(99, "Mallory"), request.MessageId, approve));
            await _api.WaitUntilAsync(a => a.CallbackAnswers.Count == 1, "the stranger's tap is answered");
            Assert.Equal(0, _api.CallCount("editMessageText"));

            _api.Enqueue(FakeUpdates.Tap(FakeUpdates.Group(long.Parse(Group, System.Globalization.CultureInfo.InvariantCulture)), FakeUpdates.Person(42, "Olga"), request.MessageId, approve));
            await _api.WaitUntilAsync(a => a.CallbackAnswers.Count == 2, "the operator's tap is answered");
            await _api.WaitUntilAsync(a => a.MessagesIn(Group).Any(m => m.Keyboard.Count == 0 && m.Text.Contains("the held briefing", StringComparison.Ordinal) && !m.Text.Contains("Approval", StringComparison.Ordinal)), "the briefing is posted");
            await _api.WaitUntilAsync(a => a.MessagesIn(Group).Single(m => m.MessageId == request.MessageId).Keyboard.Count == 0, "the request's buttons are removed");

            Assert.Contains("Approved", _api.CallbackAnswers[1].Text, StringComparison.Ordinal);
            Assert.DoesNotContain("Approved", _api.CallbackAnswers[0].Text ?? "", StringComparison.Ordinal);
            Assert.Contains("Olga", _api.MessagesIn(Group).Single(m => m.MessageId == request.MessageId).Text, StringComparison.Ordinal);
        }
        finally
        {
            await app.StopAsync();
        }
    }
}
