using System.Net;
using HandsBot.Core.Chat;
using HandsBot.Core.Configuration;
using HandsBot.Core.Storage;
using HandsBot.Telegram.Tests.Fakes;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace HandsBot.Telegram.Tests;

/// <summary>Webhook mode on a real Kestrel app: setWebhook with the secret, the endpoint, duplicates.</summary>
public sealed class WebhookTests : IAsyncLifetime
{
    private const string Secret = "s3cret-webhook-token";
    private readonly FakeBotApi _api = new();
    private readonly FakeChatCommandService _commands = new();
    private WebApplication _app = null!;

    public async Task InitializeAsync()
    {
        await _api.StartAsync();
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.UseKestrel(o => o.Listen(IPAddress.Loopback, 0));
        builder.Services.AddSingleton<ISettingsStore>(new InMemorySettingsStore());
        builder.Services.AddSingleton<IChatCommandService>(_commands);
        builder.Services.Configure<TelegramOptions>(o =>
        {
            o.Token = _api.Token;
            o.ApiUrl = _api.BaseUrl;
            o.Mode = "webhook";
            // The public URL (behind a reverse proxy); the fake delivers to this app's real address instead.
            o.WebhookUrl = "https://bot.example.test/tg/hook";
            o.WebhookSecret = Secret;
        });
        builder.Services.Configure<HttpOptions>(o => o.Listen = "http://127.0.0.1:0");
        builder.Services.AddTelegram();
        _app = builder.Build();
        _app.MapTelegramWebhook();
        await _app.StartAsync();
        _api.WebhookDeliveryBase = _app.Urls.First();
        await _api.WaitUntilAsync(a => a.WebhookUrl is not null, "setWebhook");
    }

    public async Task DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
        await _api.DisposeAsync();
    }

    [Fact]
    public void Startup_SetsTheWebhookWithTheSecret_AndNeverPolls()
    {
        Assert.Equal(("https://bot.example.test/tg/hook", Secret), (_api.WebhookUrl, _api.WebhookSecret));
        Assert.Equal(0, _api.CallCount("getUpdates"));
        Assert.IsNotType<Hosting.TelegramPollingService>(Assert.Single(_app.Services.GetServices<IHostedService>(), s => s.GetType().Namespace == typeof(Hosting.TelegramStartup).Namespace));
    }

    [Theory]
    [InlineData("wrong-secret")]
    [InlineData("")]
    [InlineData("s3cret-webhook-token-and-more")]
    public async Task Update_WithWrongSecret_Is401AndNotHandled(string secret)
    {
        var status = await _api.PostToWebhookAsync(FakeUpdates.Text(FakeUpdates.PrivateChat(42), FakeUpdates.Person(42), "/run oracle"), secret);

        Assert.Equal(HttpStatusCode.Unauthorized, status);
        Assert.Empty(_commands.ReceivedCommands);
    }

    [Fact]
    public async Task Update_WithRightSecret_IsHandled_AndADuplicateIsIgnored()
    {
        var status = await _api.PostToWebhookAsync(FakeUpdates.Text(FakeUpdates.PrivateChat(42), FakeUpdates.Person(42), "/run oracle"), id: 5000);
        var duplicate = await _api.PostToWebhookAsync(FakeUpdates.Text(FakeUpdates.PrivateChat(42), FakeUpdates.Person(42), "/run oracle"), id: 5000);
        var next = await _api.PostToWebhookAsync(FakeUpdates.Text(FakeUpdates.PrivateChat(42), FakeUpdates.Person(42), "/hands"), id: 5001);

        await _api.WaitUntilAsync(a => a.MessagesIn("42").Count == 2, "two replies");
        Assert.Equal((HttpStatusCode.OK, HttpStatusCode.OK, HttpStatusCode.OK), (status, duplicate, next));
        Assert.Equal(["run", "hands"], _commands.ReceivedCommands.Select(c => c.Name));
        Assert.Equal(["ok /run oracle", "ok /hands"], _api.MessagesIn("42").Select(m => m.Text));
    }

    [Fact]
    public async Task Update_IsAcknowledgedBeforeItIsHandled()
    {
        var release = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        _commands.BeforeReply = (_, ct) => release.Task.WaitAsync(ct);

        var status = await _api.PostToWebhookAsync(FakeUpdates.Text(FakeUpdates.PrivateChat(42), FakeUpdates.Person(42), "/run slow"));

        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Empty(_api.MessagesIn("42"));
        release.SetResult();
        await _api.WaitUntilAsync(a => a.MessagesIn("42").Count == 1, "the reply once released");
    }

    [Fact]
    public async Task Shutdown_StillHandlesUpdatesAlreadyAcknowledged()
    {
        var release = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        _commands.BeforeReply = (_, _) => release.Task;
        Assert.Equal(HttpStatusCode.OK, await _api.PostToWebhookAsync(FakeUpdates.Text(FakeUpdates.PrivateChat(42), FakeUpdates.Person(42), "/run a")));
        Assert.Equal(HttpStatusCode.OK, await _api.PostToWebhookAsync(FakeUpdates.Text(FakeUpdates.PrivateChat(42), FakeUpdates.Person(42), "/run b")));

        var stopping = _app.StopAsync();
        release.SetResult();
        await stopping;

        Assert.Equal(["ok /run a", "ok /run b"], _api.MessagesIn("42").Select(m => m.Text));
    }

    [Fact]
    public async Task Receiver_AfterClose_Answers503SoTelegramRedelivers()
    {
        var receiver = _app.Services.GetRequiredService<HandsBot.Telegram.Receiving.TelegramWebhookReceiver>();
        receiver.Close();
        var context = new Microsoft.AspNetCore.Http.DefaultHttpContext();
        context.Request.Headers["X-Telegram-Bot-Api-Secret-Token"] = Secret;
        var update = FakeUpdates.Text(FakeUpdates.PrivateChat(42), FakeUpdates.Person(42), "/hands");
        update.Id = 777;
        context.Request.Body = new MemoryStream(System.Text.Json.JsonSerializer.SerializeToUtf8Bytes(update, global::Telegram.Bot.JsonBotAPI.Options));

        await receiver.ReceiveAsync(context);

        Assert.Equal(503, context.Response.StatusCode);
    }
}
