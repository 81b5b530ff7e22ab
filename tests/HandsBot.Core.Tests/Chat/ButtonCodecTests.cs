using System.Text;
using HandsBot.Core.Chat;
using HandsBot.Core.Buttons;

namespace HandsBot.Core.Tests.Chat;

public sealed class ButtonCodecTests
{
    private const string LongestHand = "abcdefghijklmnopqrstuvwxyz-01234"; // 32 characters

    [Theory]
    [InlineData(ButtonAction.Approve, "k3J9x_Qa", "hb1:a:k3J9x_Qa")]
    [InlineData(ButtonAction.Reject, "k3J9x_Qa", "hb1:r:k3J9x_Qa")]
    [InlineData(ButtonAction.Run, "oracle", "hb1:run:oracle")]
    [InlineData(ButtonAction.Pause, "oracle", "hb1:pause:oracle")]
    [InlineData(ButtonAction.Resume, "oracle", "hb1:resume:oracle")]
    [InlineData(ButtonAction.Page, "3", "hb1:page:3")]
    [InlineData(ButtonAction.Output, "4f2a9c1d", "hb1:out:4f2a9c1d")]
    public void Encode_ProducesVersionedId_AndParseRoundTrips(ButtonAction action, string argument, string expected)
    {
        var id = ButtonCodec.Encode(action, argument);
        Assert.Equal(expected, id);
        var parsed = ButtonCodec.Parse(id);
        Assert.Equal(ButtonParseStatus.Ok, parsed.Status);
        Assert.Equal(action, parsed.Action);
        Assert.Equal(argument, parsed.Argument);
    }

    [Theory]
    [InlineData(ButtonAction.Run)]
    [InlineData(ButtonAction.Pause)]
    [InlineData(ButtonAction.Resume)]
    public void Encode_FitsTelegramAndDiscordLimits_WithLongestHandName(ButtonAction action)
    {
        Assert.Equal(32, LongestHand.Length);
        var id = ButtonCodec.Encode(action, LongestHand);
        Assert.True(Encoding.UTF8.GetByteCount(id) <= 64);
        Assert.True(id.Length <= 100);
        Assert.Equal(LongestHand, ButtonCodec.Parse(id).Argument);
    }

    [Fact]
    public void Encode_Throws_WhenIdWouldExceed64Bytes()
    {
        var tooLong = new string('x', 64 - "hb1:run:".Length + 1);
        var ex = Assert.Throws<ArgumentException>(() => ButtonCodec.Run(tooLong));
        Assert.Contains("64", ex.Message, StringComparison.Ordinal);
        Assert.False(ButtonCodec.TryEncode(ButtonAction.Run, tooLong, out _));
        Assert.True(ButtonCodec.TryEncode(ButtonAction.Run, tooLong[1..], out var ok));
        Assert.Equal(64, Encoding.UTF8.GetByteCount(ok));
    }

    [Theory]
    [InlineData(ButtonAction.Run, "two words")]
    [InlineData(ButtonAction.Run, "a:b")]
    [InlineData(ButtonAction.Run, "")]
    [InlineData(ButtonAction.Run, "naïve")]
    [InlineData(ButtonAction.Page, "0")]
    [InlineData(ButtonAction.Page, "-1")]
    [InlineData(ButtonAction.Page, "x")]
    public void Encode_Throws_WhenArgumentCannotBeCarried(ButtonAction action, string argument)
    {
        Assert.Throws<ArgumentException>(() => ButtonCodec.Encode(action, argument));
        Assert.False(ButtonCodec.TryEncode(action, argument, out _));
    }

    [Theory]
    [InlineData("hb0:a:abc")]
    [InlineData("hb2:run:oracle")]
    [InlineData("hb17:x")]
    public void Parse_ReportsUnknownVersion_ForOtherHandsBotVersions(string id) =>
        Assert.Equal(ButtonParseStatus.UnknownVersion, ButtonCodec.Parse(id).Status);

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("approve:123")]
    [InlineData("hb1")]
    [InlineData("hb1:a")]
    [InlineData("hb1:a:")]
    [InlineData("hb1:zap:oracle")]
    [InlineData("hb1:page:zero")]
    [InlineData("hb1:page:0")]
    [InlineData("hb1:run:bad name")]
    [InlineData("hb1:run:a:b")]
    [InlineData("HB1:run:oracle")]
    [InlineData("hb:run:oracle")]
    [InlineData("hb1:run:aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa")]
    public void Parse_ReportsMalformed_ForBrokenIds(string? id)
    {
        var parsed = ButtonCodec.Parse(id);
        Assert.Equal(ButtonParseStatus.Malformed, parsed.Status);
        Assert.False(parsed.IsOk);
        Assert.False(string.IsNullOrEmpty(parsed.Problem));
    }
}
