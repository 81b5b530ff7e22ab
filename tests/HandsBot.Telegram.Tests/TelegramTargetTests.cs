using HandsBot.Core.Delivery;
using HandsBot.Telegram.Sending;

namespace HandsBot.Telegram.Tests;

public sealed class TelegramTargetTests
{
    [Theory]
    [InlineData("-1001234", null, "-1001234", null)]
    [InlineData("-1001234", "42", "-1001234", 42)]
    [InlineData("-1001234:42", null, "-1001234", 42)]
    [InlineData("777", null, "777", null)]
    [InlineData("@news", null, "@news", null)]
    public void TryParse_ReadsChatAndTopic(string chat, string? thread, string expectedChat, int? expectedTopic)
    {
        Assert.True(TelegramTarget.TryParse(new ChannelTarget("telegram", chat, thread), out var parsed, out var error));
        Assert.Null(error);
        Assert.Equal(expectedChat, parsed.ChatId);
        Assert.Equal(expectedTopic, parsed.TopicId);
    }

    [Theory]
    [InlineData("", null, "not a Telegram chat id")]
    [InlineData("general", null, "not a Telegram chat id")]
    [InlineData("-100:abc", null, "not a Telegram topic id")]
    [InlineData("-100", "-3", "not a Telegram topic id")]
    public void TryParse_ExplainsTheProblem_WhenTargetIsMalformed(string chat, string? thread, string message)
    {
        Assert.False(TelegramTarget.TryParse(new ChannelTarget("telegram", chat, thread), out _, out var error));
        Assert.Contains(message, error);
    }
}
