using HandsBot.Core.Configuration;
using HandsBot.Core.Delivery;
using HandsBot.Core.Engine;
using HandsBot.Core.Model;
using HandsBot.Core.Tests.Engine;
using Microsoft.Extensions.Options;

namespace HandsBot.Core.Tests.Delivery;

/// <summary>Default targets come from each channel, so the router reads no platform option.</summary>
public sealed class DeliveryRouterTests
{
    private static readonly RecordingChannel Telegram = new("telegram") { DefaultTarget = new ChannelTarget("telegram", "-100", "7") };
    private static readonly RecordingChannel Discord = new("discord");
    private static readonly RecordingChannel Console = new("console");

    private static DeliveryRouter Router(params IChannel[] channels)
    {
        var routes = new ChannelsOptions();
        routes.Routes["ops"] = new ChannelRoute { Telegram = "-200:3", Discord = "900" };
        return new DeliveryRouter(new ChannelSet(channels), new EnginePaths("/base", "/base/data"), Options.Create(routes));
    }

    private static HandManifest Hand(params string[] channels) => new() { Name = "h", Output = new OutputSpec { Channels = channels } };

    [Fact]
    public void WithoutAChannel_EachChannelsDefaultTarget_ThoseWithoutOneSkipped()
    {
        var targets = Router(Telegram, Discord, Console).Resolve(Hand());

        Assert.Equal([new ChannelTarget("telegram", "-100", "7"), new ChannelTarget("console", "console")], targets);
    }

    [Fact]
    public void APlatformName_GivesThatChannelsDefault_AndARoute_ItsTargetsOnRunningPlatforms()
    {
        var router = Router(Telegram, Console);

        Assert.Equal([new ChannelTarget("telegram", "-100", "7")], router.Resolve(Hand("telegram")));
        Assert.Empty(router.Resolve(Hand("discord")));
        Assert.Equal([new ChannelTarget("telegram", "-200", "3")], router.Resolve(Hand("ops")));
    }

    [Fact]
    public void AChannelWhoseDefaultChanges_IsReadAtEachResolve()
    {
        var console = new RecordingChannel("console") { DefaultTarget = null };
        var router = Router(console);
        var before = router.Resolve(Hand());

        console.DefaultTarget = new ChannelTarget("console", "console");

        Assert.Empty(before);
        Assert.Single(router.Resolve(Hand()));
    }
}
