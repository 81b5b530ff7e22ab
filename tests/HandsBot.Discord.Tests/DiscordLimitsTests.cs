using HandsBot.Core.Delivery;
using HandsBot.Discord.Rest;

namespace HandsBot.Discord.Tests;

public sealed class DiscordLimitsTests
{
    [Theory]
    [InlineData("exec-1/part-0", "exec-1/part-0")]
    [InlineData("1234567890123456789012345", "1234567890123456789012345")]
    public void Nonce_ShortKey_IsUsedAsIs(string key, string expected) => Assert.Equal(expected, DiscordLimits.Nonce(key));

    [Fact]
    public void Nonce_LongKey_IsStable25CharHashAndDistinct()
    {
        var a = DiscordLimits.Nonce("outbox:0d8c6a3e-7b9f-4f7e-9d0e-1a2b3c4d5e6f:0");
        var b = DiscordLimits.Nonce("outbox:0d8c6a3e-7b9f-4f7e-9d0e-1a2b3c4d5e6f:1");

        Assert.Equal(25, a.Length);
        Assert.Equal(a, DiscordLimits.Nonce("outbox:0d8c6a3e-7b9f-4f7e-9d0e-1a2b3c4d5e6f:0"));
        Assert.NotEqual(a, b);
    }

    [Fact]
    public void Buttons_WrapRowsOfFiveAndCapAtFiveRows()
    {
        var row = Enumerable.Range(0, 12).Select(i => new ChatButton($"b{i}", $"id{i}")).ToList();
        var rows = new List<IReadOnlyList<ChatButton>> { row, row, row };

        var components = DiscordLimits.Buttons(rows);

        Assert.Equal(5, components.Count);
        Assert.Equal([5, 5, 2, 5, 5], components.Select(c => c.Components!.Count));
        Assert.All(components, c => Assert.Equal(1, c.Type));
    }

    [Fact]
    public void Buttons_CutLongLabelsAndDropUnusableIds()
    {
        var components = DiscordLimits.Buttons([[
            new ChatButton(new string('L', 120), "ok", ButtonStyle.Danger),
            new ChatButton("too long id", new string('i', 101)),
        ]]);

        var button = Assert.Single(Assert.Single(components).Components!);
        Assert.Equal(80, button.Label!.Length);
        Assert.Equal(4, button.Style);
        Assert.Equal("ok", button.CustomId);
    }

    [Theory]
    [InlineData(ButtonStyle.Primary, 1)]
    [InlineData(ButtonStyle.Secondary, 2)]
    [InlineData(ButtonStyle.Success, 3)]
    [InlineData(ButtonStyle.Danger, 4)]
    public void Buttons_MapStyles(ButtonStyle style, int expected)
        => Assert.Equal(expected, DiscordLimits.Buttons([[new ChatButton("x", "y", style)]])[0].Components![0].Style);

    [Theory]
    [InlineData("short", 2000, "short")]
    [InlineData("abcdef", 4, "abc…")]
    public void Fit_CutsWithEllipsis(string text, int max, string expected) => Assert.Equal(expected, DiscordLimits.Fit(text, max));

    [Fact]
    public void Fit_DoesNotSplitSurrogatePair()
    {
        var cut = DiscordLimits.Fit("ab😀cd", 4);

        Assert.Equal("ab…", cut);
    }

    [Theory]
    [InlineData("channels/123/messages", "channels/{major}/messages", "123", false)]
    [InlineData("channels/123/messages/456", "channels/{major}/messages/:id", "123", false)]
    [InlineData("guilds/9/members/8", "guilds/{major}/members/:id", "9", false)]
    [InlineData("webhooks/1/tok/messages/@original", "webhooks/{major}/{token}/messages/@original", "1/tok", false)]
    [InlineData("interactions/55/tok/callback", "interactions/:id/:token/callback", "55", true)]
    [InlineData("applications/1/guilds/2/commands", "applications/:id/guilds/:id/commands", "", false)]
    [InlineData("gateway/bot", "gateway/bot", "", false)]
    public void Route_Parse_KeepsMajorParameter(string path, string template, string major, bool interaction)
        => Assert.Equal(new DiscordRoute(template, major, interaction), DiscordRoute.Parse(path));
}
