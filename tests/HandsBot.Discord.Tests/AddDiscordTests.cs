using Microsoft.Extensions.Configuration;
using HandsBot.Core.Chat;
using HandsBot.Core.Configuration;
using HandsBot.Core.Delivery;
using HandsBot.Core.Storage;
using HandsBot.Discord.Gateway;
using HandsBot.Discord.Interactions;
using HandsBot.Discord.Tests.Fakes;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace HandsBot.Discord.Tests;

public sealed class AddDiscordTests
{
    private static ServiceProvider Build(FakeDiscordServer fake, FakeChatCommandService commands, InMemorySettingsStore settings, string publicKey = "")
    {
        var services = new ServiceCollection();
        services.AddLogging(b => b.ClearProviders());
        services.Configure<DiscordOptions>(o =>
        {
            o.Token = FakeDiscordServer.Token;
            o.ApplicationId = FakeDiscordServer.ApplicationId;
            o.ApiUrl = fake.ApiUrl;
            o.PublicKey = publicKey;
        });
        services.AddSingleton<IChatCommandService>(commands);
        services.AddSingleton<ISettingsStore>(settings);
        services.AddSingleton(DiscordHarness.FastGateway());
        // The options bind from IConfiguration, as in the host; here it is empty and tests configure them.
        services.AddSingleton<IConfiguration>(new ConfigurationBuilder().Build());
        services.AddDiscord();
        return services.BuildServiceProvider();
    }

    [Fact]
    public async Task AddDiscord_RegistersChannelHandlerAndGatewayService()
    {
        await using var fake = await FakeDiscordServer.StartAsync();
        await using var provider = Build(fake, new FakeChatCommandService(), new InMemorySettingsStore());

        var channel = Assert.Single(provider.GetServices<IChannel>());
        Assert.Equal("discord", channel.Platform);
        Assert.NotNull(provider.GetRequiredService<DiscordInteractionHandler>());
        Assert.Single(provider.GetServices<IHostedService>().OfType<DiscordGatewayService>());
        var sent = await channel.SendAsync(new ChannelTarget("discord", "1"), new OutboundPart { Text = "hi" }, "k", CancellationToken.None);
        Assert.Equal(SendStatus.Delivered, sent.Status);
    }

    [Fact]
    public async Task GatewayService_RegistersCommandsThenConnects_AndAnswersInteractions()
    {
        await using var fake = await FakeDiscordServer.StartAsync();
        var commands = new FakeChatCommandService();
        await using var provider = Build(fake, commands, new InMemorySettingsStore());
        var service = provider.GetServices<IHostedService>().OfType<DiscordGatewayService>().Single();

        await service.StartAsync(CancellationToken.None);
        await fake.Gateway.WaitAsync(e => e.Kind == "ready");
        await fake.DispatchInteractionAsync(DiscordHarness.SlashCommand("hands"));
        await fake.Requests.WaitAsync(r => r.Path.EndsWith("/callback", StringComparison.Ordinal));
        await service.StopAsync(CancellationToken.None);

        Assert.Equal("PUT", fake.Requests.Items[0].Method);
        Assert.Single(commands.CommandCalls.Items);
    }

    [Fact]
    public async Task GatewayService_ReportsConnectedOnReady_AndUnauthorizedWhenDiscordRejectsTheToken()
    {
        await using var fake = await FakeDiscordServer.StartAsync();
        await using var provider = Build(fake, new FakeChatCommandService(), new InMemorySettingsStore());
        var health = provider.GetRequiredService<ChannelHealth>();
        var states = new Journal<ChannelState>();
        health.Changed += s => states.Add(s.State);
        var service = provider.GetServices<IHostedService>().OfType<DiscordGatewayService>().Single();

        await service.StartAsync(CancellationToken.None);
        await states.WaitAsync(s => s == ChannelState.Connected);
        await fake.CloseAsync(4004, "Authentication failed.");
        await service.ExecuteTask!.WaitAsync(Journal<int>.SafetyTimeout);

        Assert.Equal(ChannelState.Unauthorized, health.Get("discord")!.State);
        Assert.Contains("4004", health.Get("discord")!.Detail, StringComparison.Ordinal);
        // Where the token came from (here no origins are known: the key itself).
        Assert.EndsWith("check [discord] token", health.Get("discord")!.Detail, StringComparison.Ordinal);
    }

    [Fact]
    public async Task GatewayService_FatalCloseStopsDiscordOnly()
    {
        await using var fake = await FakeDiscordServer.StartAsync();
        await using var provider = Build(fake, new FakeChatCommandService(), new InMemorySettingsStore());
        var service = provider.GetServices<IHostedService>().OfType<DiscordGatewayService>().Single();

        await service.StartAsync(CancellationToken.None);
        await fake.Gateway.WaitAsync(e => e.Kind == "ready");
        await fake.CloseAsync(4014, "Disallowed intent(s).");

        // ExecuteTask completes without faulting: the host keeps running.
        await service.ExecuteTask!.WaitAsync(Journal<int>.SafetyTimeout);
        Assert.True(service.ExecuteTask.IsCompletedSuccessfully);
        Assert.Equal(ChannelState.Failed, provider.GetRequiredService<ChannelHealth>().Get("discord")!.State);
        Assert.Single(fake.Gateway.Where(e => e.Kind == "connect"));
    }

    [Fact]
    public async Task SignatureVerifier_FromBadPublicKey_FailsWithClearError()
    {
        await using var fake = await FakeDiscordServer.StartAsync();
        await using var provider = Build(fake, new FakeChatCommandService(), new InMemorySettingsStore(), publicKey: "1234");

        // The options validator refuses the key before the verifier is built.
        var error = Assert.Throws<Microsoft.Extensions.Options.OptionsValidationException>(() => provider.GetRequiredService<DiscordSignatureVerifier>());

        Assert.Contains("[discord] public_key: expected the 64 hex characters", error.Message, StringComparison.Ordinal);
    }
}
