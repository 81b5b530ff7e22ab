using HandsBot.Core.Configuration;
using HandsBot.Telegram.Receiving;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;

namespace HandsBot.Telegram.Tests;

public sealed class RegistrationTests
{
    [Theory]
    [InlineData("polling", false)]
    [InlineData("", false)]
    [InlineData("Webhook", true)]
    [InlineData(" webhook ", true)]
    public void IsWebhookMode_ReadsTheMode(string mode, bool expected) =>
        Assert.Equal(expected, TelegramServiceCollectionExtensions.IsWebhookMode(new TelegramOptions { Mode = mode }));

    [Fact]
    public void IsWebhookMode_NamesTheSettingAndTheValidValues_WhenModeIsUnknown()
    {
        var error = Assert.Throws<InvalidOperationException>(() => TelegramServiceCollectionExtensions.IsWebhookMode(new TelegramOptions { Mode = "push" }));

        Assert.Equal("[telegram] mode must be \"polling\" or \"webhook\", not \"push\"", error.Message);
    }

    [Theory]
    [InlineData("https://bot.example.com/tg/hook", "/tg/hook")]
    [InlineData("https://bot.example.com/", TelegramWebhookReceiver.DefaultPath)]
    [InlineData("", TelegramWebhookReceiver.DefaultPath)]
    public void WebhookPath_ComesFromTheWebhookUrl(string url, string path) => Assert.Equal(path, TelegramWebhookReceiver.PathOf(url));

    [Fact]
    public void WebhookSecret_IsRandomPerProcess_WhenNotConfigured()
    {
        TelegramWebhookReceiver Receiver() => new(Options.Create(new TelegramOptions()), NullLogger<TelegramWebhookReceiver>.Instance);

        var (a, b) = (Receiver().Secret, Receiver().Secret);

        Assert.Equal(64, a.Length);
        Assert.NotEqual(a, b);
    }

    [Theory]
    [InlineData("Ops Team", "ops-team")]
    [InlineData("  Émile's  bots!! ", "mile-s-bots")]
    [InlineData("🚀", "team")]
    public void Slug_MakesATomlFriendlyChannelName(string title, string slug) => Assert.Equal(slug, TelegramUpdateHandler.Slug(title));
}
