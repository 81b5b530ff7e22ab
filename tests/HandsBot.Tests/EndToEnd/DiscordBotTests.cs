using System.Text.Json.Nodes;
using HandsBot.Cli;
using HandsBot.Discord.Tests.Fakes;
using HandsBot.Hosting;

namespace HandsBot.Tests.EndToEnd;

/// <summary>
/// The whole bot — engine, outbox, approvals, chat commands and our Discord gateway and REST client —
/// against the fake Discord: /run as a slash command, the approval request in the channel, a stranger's
/// tap refused privately, an operator's tap releasing the briefing and updating the request.
/// </summary>
public sealed class DiscordBotTests : IAsyncLifetime, IDisposable
{
    private const string Channel = "777";
    private FakeDiscordServer _discord = null!;
    private TempBot _bot = null!;

    public async Task InitializeAsync()
    {
        _discord = await FakeDiscordServer.StartAsync();
        _bot = new TempBot($"""
            [discord]
            token = "{FakeDiscordServer.Token}"
            application_id = "{FakeDiscordServer.ApplicationId}"
            api_url = "{_discord.ApiUrl}"
            default_channel = "{Channel}"
            [access]
            operators = ["discord:42"]
            """);
        _bot.AddHand("briefing", "[hand]\n[run]\ncommand = \"echo the held briefing\"\n[approval_gates]\npost = { action = \"broadcast\", description = \"Post the briefing\" }\n[output]\nchannel = \"discord\"\n");
    }

    public async Task DisposeAsync() => await _discord.DisposeAsync();

    public void Dispose() => _bot.Dispose();

    private static bool IsPost(RecordedRequest r, string text) =>
        r.Method == "POST" && r.Path.EndsWith($"channels/{Channel}/messages", StringComparison.Ordinal) && r.Body.Contains(text, StringComparison.Ordinal);

    [Fact]
    public async Task SlashRun_PostsTheApproval_AndOnlyAnOperatorsTapReleasesTheBriefing()
    {
        var (config, settings) = HandsBotCli.LoadConfig(_bot.ConfigPath);
        await using var app = BotHost.Build(config, settings, BotHost.Mode.Serve);
        await app.StartAsync();
        try
        {
            await _discord.Gateway.WaitAsync(e => e.Kind == "ready");
            await _discord.DispatchInteractionAsync(DiscordHarness.SlashCommand("run", "briefing", userId: "42"));

            var started = (await _discord.Requests.WaitAsync(r => r.Path.EndsWith("/callback", StringComparison.Ordinal) && r.Body.Contains("started, run", StringComparison.Ordinal)))[0];
            Assert.NotNull(started);
            var request = (await _discord.Requests.WaitAsync(r => IsPost(r, "Approval needed")))[0];
            var approve = request.Json!["components"]![0]!["components"]!.AsArray().Single(b => b!["label"]!.GetValue<string>() == "Approve")!["custom_id"]!.GetValue<string>();
            Assert.Equal("[]", request.Json!["allowed_mentions"]!["parse"]!.ToJsonString());
            Assert.Empty(_discord.Requests.Where(r => IsPost(r, "the held briefing") && !r.Body.Contains("Approval needed", StringComparison.Ordinal)));

            await _discord.DispatchInteractionAsync(DiscordHarness.ButtonTap(approve, userId: "99"));
            var refusal = (await _discord.Requests.WaitAsync(r => r.Path.EndsWith("/callback", StringComparison.Ordinal) && r.Body.Contains("\"flags\":64", StringComparison.Ordinal)))[0];
            Assert.Equal(4, refusal.Json!["type"]!.GetValue<int>());

            await _discord.DispatchInteractionAsync(DiscordHarness.ButtonTap(approve, userId: "42"));
            await _discord.Requests.WaitAsync(r => r.Path.EndsWith("/callback", StringComparison.Ordinal) && r.Json?["type"]?.GetValue<int>() == 7);
            await _discord.Requests.WaitAsync(r => IsPost(r, "the held briefing") && !r.Body.Contains("Approval needed", StringComparison.Ordinal));
            var edit = (await _discord.Requests.WaitAsync(r => r.Method == "PATCH" && r.Path.Contains($"channels/{Channel}/messages/", StringComparison.Ordinal)))[0];
            Assert.Contains("Approved by", edit.Body, StringComparison.Ordinal);
            Assert.Empty(edit.Json!["components"]!.AsArray());
            Assert.Empty(_discord.Violations.Items);
        }
        finally
        {
            await app.StopAsync();
        }
    }
}
