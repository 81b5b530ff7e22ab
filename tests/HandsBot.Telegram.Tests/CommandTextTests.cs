using HandsBot.Telegram.Receiving;

namespace HandsBot.Telegram.Tests;

public sealed class CommandTextTests
{
    [Theory]
    [InlineData("/hands", "hands", null, "")]
    [InlineData("/run oracle", "run", null, "oracle")]
    [InlineData("/RUN@HandsTestBot  oracle   now", "run", "HandsTestBot", "oracle|now")]
    [InlineData("/status@OtherBot x", "status", "OtherBot", "x")]
    [InlineData("/approve_all", "approve_all", null, "")]
    public void Parse_SplitsNameAddresseeAndArgs_WhenTextIsACommand(string text, string name, string? addressee, string args)
    {
        var parsed = CommandText.Parse(text);

        Assert.NotNull(parsed);
        Assert.Equal(name, parsed.Name);
        Assert.Equal(addressee, parsed.Addressee);
        Assert.Equal(args.Length == 0 ? [] : args.Split('|'), parsed.Args);
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("/")]
    [InlineData("hello /run")]
    [InlineData("/ run")]
    [InlineData("/@Bot")]
    [InlineData("/rün")]
    public void Parse_ReturnsNull_WhenTextIsNotACommand(string? text) => Assert.Null(CommandText.Parse(text));

    [Theory]
    [InlineData("/run", "HandsTestBot", true)]
    [InlineData("/run@HandsTestBot", "HandsTestBot", true)]
    [InlineData("/run@handstestbot", "HandsTestBot", true)]
    [InlineData("/run@OtherBot", "HandsTestBot", false)]
    [InlineData("/run@HandsTestBot", null, false)]
    public void IsFor_TellsOurCommandsFromOtherBots(string text, string? username, bool expected) =>
        Assert.Equal(expected, CommandText.Parse(text)!.IsFor(username));
}
