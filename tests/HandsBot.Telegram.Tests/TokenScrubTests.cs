using HandsBot.Core.Configuration;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Telegram.Bot.Exceptions;

namespace HandsBot.Telegram.Tests;

public sealed class TokenScrubTests
{
    private const string Token = "4242:SECRET-token_value";

    [Fact]
    public void Describe_RemovesTheTokenFromEveryMessageInTheChain()
    {
        using var bot = new TelegramBot(Options.Create(new TelegramOptions { Token = Token }), NullLogger<TelegramBot>.Instance);
        var inner = new HttpRequestException($"Connection refused (https://api.telegram.org/bot{Token}/getMe)");
        var outer = new RequestException($"Exception during making request to bot{Token}", inner);

        var text = bot.Describe(outer);

        Assert.DoesNotContain(Token, text);
        Assert.Contains("bot<token>/getMe", text);
        Assert.StartsWith("RequestException: ", text);
    }

    [Theory]
    [InlineData(null, "")]
    [InlineData("no secrets here", "no secrets here")]
    [InlineData("url /bot4242:SECRET-token_value/x", "url /bot<token>/x")]
    public void Scrub_ReplacesOnlyTheToken(string? input, string expected)
    {
        using var bot = new TelegramBot(Options.Create(new TelegramOptions { Token = Token }), NullLogger<TelegramBot>.Instance);

        Assert.Equal(expected, bot.Scrub(input));
    }
}
