using System.Net;
using HandsBot.Cli;
using HandsBot.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.DependencyInjection;

namespace HandsBot.Tests.Hosting;

/// <summary>The host maps the Telegram webhook and the Discord interactions endpoint, and both refuse unsigned calls.</summary>
public sealed class HttpEndpointsTests : IDisposable
{
    private readonly TempBot _bot = new("""
        [http]
        listen = "http://127.0.0.1:0"
        [telegram]
        token = "123:secret-token"
        api_url = "http://127.0.0.1:9"
        mode = "webhook"
        webhook_url = "https://bot.example.com/telegram/webhook"
        webhook_secret = "right-secret"
        [discord]
        token = "discord-secret-token"
        application_id = "123456789012345678"
        api_url = "http://127.0.0.1:9/api/v10"
        public_key = "0000000000000000000000000000000000000000000000000000000000000000"
        """);

    public void Dispose() => _bot.Dispose();

    [Fact]
    public async Task Serve_MapsWebhookAndInteractions_AndRejectsCallsWithoutSecretOrSignature()
    {
        var (config, settings) = HandsBotCli.LoadConfig(_bot.ConfigPath);
        await using var app = BotHost.Build(config, settings, BotHost.Mode.Serve);
        await app.StartAsync();
        try
        {
            var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
            using var http = new HttpClient { BaseAddress = new Uri(address) };

            using var wrongSecret = new HttpRequestMessage(HttpMethod.Post, "/telegram/webhook") { Content = new StringContent("{\"update_id\":1}") };
            wrongSecret.Headers.Add("X-Telegram-Bot-Api-Secret-Token", "wrong");
            var telegram = await http.SendAsync(wrongSecret);
            var discord = await http.PostAsync("/discord/interactions", new StringContent("{\"type\":1}"));
            var unknown = await http.GetAsync("/");

            Assert.Equal(HttpStatusCode.Unauthorized, telegram.StatusCode);
            Assert.Equal(HttpStatusCode.Unauthorized, discord.StatusCode);
            Assert.Equal(HttpStatusCode.NotFound, unknown.StatusCode);
        }
        finally
        {
            await app.StopAsync();
        }
    }
}
