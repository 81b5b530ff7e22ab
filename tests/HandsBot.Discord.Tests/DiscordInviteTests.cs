namespace HandsBot.Discord.Tests;

public sealed class DiscordInviteTests
{
    [Fact]
    public void Url_HasBotAndCommandsScopesAndMinimalPermissions()
    {
        var url = DiscordInvite.Url("123456789012345678");

        // 1024 view + 2048 send + 16384 embed + 32768 attach + 65536 history
        Assert.Equal("https://discord.com/oauth2/authorize?client_id=123456789012345678&scope=bot+applications.commands&permissions=117760", url);
    }

    [Theory]
    [InlineData("")]
    [InlineData("abc")]
    [InlineData("12 34")]
    public void Url_RejectsNonNumericApplicationId(string id)
    {
        var error = Assert.Throws<ArgumentException>(() => DiscordInvite.Url(id));

        Assert.Contains("application_id", error.Message, StringComparison.Ordinal);
    }
}
