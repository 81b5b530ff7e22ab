using System.Text.RegularExpressions;
using HandsBot.Core.Chat;
using HandsBot.Discord.Interactions;
using HandsBot.Discord.Rest;
using HandsBot.Discord.Tests.Fakes;

namespace HandsBot.Discord.Tests;

public sealed partial class CommandRegistrarTests
{
    [Fact]
    public async Task RegisterAsync_PutsOnceAndSkipsWhenUnchanged()
    {
        await using var h = await DiscordHarness.StartAsync();

        var first = await h.Registrar.RegisterAsync(CancellationToken.None);
        var second = await h.Registrar.RegisterAsync(CancellationToken.None);

        Assert.True(first);
        Assert.False(second);
        var put = Assert.Single(h.Fake.Requests.Items);
        Assert.Equal("PUT", put.Method);
        Assert.Equal($"applications/{FakeDiscordServer.ApplicationId}/commands", put.Path);
        Assert.NotNull(h.Settings.Values[DiscordCommandRegistrar.HashSettingKey]);
    }

    [Fact]
    public async Task RegisterAsync_ReRegistersWhenCommandsChange()
    {
        await using var h = await DiscordHarness.StartAsync();
        await h.Registrar.RegisterAsync(CancellationToken.None);

        h.Commands.Commands = [.. FakeChatCommandService.Standard, new CommandInfo("logs", "/logs <hand>", "Show logs", true)];
        var again = await h.Registrar.RegisterAsync(CancellationToken.None);

        Assert.True(again);
        Assert.Equal(2, h.Fake.Requests.Items.Count);
        Assert.Equal(12, h.Fake.Requests.Items[1].Json!.AsArray().Count);
    }

    [Fact]
    public async Task RegisterAsync_WithGuildId_UsesGuildRoute()
    {
        await using var h = await DiscordHarness.StartAsync(o => o.GuildId = "4242");

        await h.Registrar.RegisterAsync(CancellationToken.None);

        Assert.Equal($"applications/{FakeDiscordServer.ApplicationId}/guilds/4242/commands", Assert.Single(h.Fake.Requests.Items).Path);
    }

    [Fact]
    public async Task RegisterAsync_Failure_ThrowsAndDoesNotRememberHash()
    {
        await using var h = await DiscordHarness.StartAsync();
        h.Fake.Script = _ => FakeDiscordServer.Error(400, 50035, "Invalid Form Body");

        var error = await Assert.ThrowsAsync<DiscordApiException>(() => h.Registrar.RegisterAsync(CancellationToken.None));

        Assert.Contains("Invalid Form Body", error.Message, StringComparison.Ordinal);
        Assert.Empty(h.Settings.Values);
    }

    [Fact]
    public async Task RegisterAsync_WithoutApplicationId_ExplainsWhatIsMissing()
    {
        await using var h = await DiscordHarness.StartAsync(o => o.ApplicationId = "");

        var error = await Assert.ThrowsAsync<InvalidOperationException>(() => h.Registrar.RegisterAsync(CancellationToken.None));

        Assert.Contains("application_id", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Build_OptionalHandMakesLaterOptionsOptional()
    {
        var command = Assert.Single(DiscordCommandRegistrar.Build([new CommandInfo("status", "/status [hand] <detail>", "Status", true)]));

        Assert.Equal([("hand", false), ("args", false)], command.Options!.Select(o => (o.Name, o.Required)));
    }

    [Theory]
    [InlineData("/Run", "run")]
    [InlineData("Hands List", "handslist")]
    public void Build_NormalisesNamesToDiscordRules(string name, string expected)
        => Assert.Equal(expected, Assert.Single(DiscordCommandRegistrar.Build([new CommandInfo(name, name, "d", false)])).Name);

    [Fact]
    public void Build_ProducesValidDiscordDefinitions()
    {
        var commands = DiscordCommandRegistrar.Build(FakeChatCommandService.Standard);

        Assert.Equal(FakeChatCommandService.Standard.Select(c => c.Name), commands.Select(c => c.Name));
        Assert.All(commands, c =>
        {
            Assert.Matches(NameRule(), c.Name);
            Assert.InRange(c.Description.Length, 1, 100);
            Assert.Equal([0, 1], c.Contexts);
            Assert.NotNull(c.DefaultMemberPermissions);
            // Required options come first, as Discord demands.
            var options = c.Options ?? [];
            Assert.Equal(options.OrderByDescending(o => o.Required).Select(o => o.Name), options.Select(o => o.Name));
        });
        var run = commands.Single(c => c.Name == "run");
        var hand = Assert.Single(run.Options!);
        Assert.Equal(("hand", true, true), (hand.Name, hand.Required, hand.Autocomplete));
        var hands = Assert.Single(commands.Single(c => c.Name == "hands").Options!);
        Assert.Equal(("args", false, "[page]"), (hands.Name, hands.Required, hands.Description));
        var output = Assert.Single(commands.Single(c => c.Name == "output").Options!);
        Assert.Equal(("args", true, "<run id>"), (output.Name, output.Required, output.Description));
        var history = commands.Single(c => c.Name == "history").Options!;
        Assert.Equal(["hand", "args"], history.Select(o => o.Name));
        Assert.False(history[1].Required);
        Assert.True(commands.Single(c => c.Name == "approve").Options![0].Required);
        Assert.Null(commands.Single(c => c.Name == "help").Options);
    }

    [GeneratedRegex(@"^[-_a-z0-9]{1,32}$")]
    private static partial Regex NameRule();
}
