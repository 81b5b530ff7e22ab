using HandsBot.Core.Configuration;
using HandsBot.Core.Model;
using Microsoft.Extensions.Options;

namespace HandsBot.Core.Delivery;

/// <summary>
/// Resolves a hand's [output] channel setting to concrete targets: a [channels] name gives its
/// Telegram chat (or "chat:topic") and Discord channel; "telegram"/"discord"/"console" give that
/// channel's default target. With no channel set, every channel's default target. Targets on platforms
/// this process doesn't run are dropped.
/// </summary>
public sealed class DeliveryRouter(ChannelSet channels, Engine.EnginePaths paths, IOptions<ChannelsOptions> routes)
{
    public const string Console = "console";
    public const string Telegram = "telegram";
    public const string Discord = "discord";

    public IReadOnlyList<ChannelTarget> Resolve(HandManifest manifest, ChannelTarget? replyTo = null)
    {
        var targets = new List<ChannelTarget>();
        if (manifest.Output.Channels.Count == 0)
        {
            AddDefault(Telegram, targets);
            AddDefault(Discord, targets);
            AddDefault(Console, targets);
        }
        foreach (var name in manifest.Output.Channels)
        {
            if (string.Equals(name, Telegram, StringComparison.OrdinalIgnoreCase) || string.Equals(name, Discord, StringComparison.OrdinalIgnoreCase) || string.Equals(name, Console, StringComparison.OrdinalIgnoreCase))
            {
                AddDefault(name.ToLowerInvariant(), targets);
            }
            else if (routes.Value.Routes.TryGetValue(name, out var route))
            {
                if (!string.IsNullOrWhiteSpace(route.Telegram)) Add(ParseTelegram(route.Telegram), targets);
                if (!string.IsNullOrWhiteSpace(route.Discord)) Add(new ChannelTarget(Discord, route.Discord.Trim()), targets);
            }
        }
        if (replyTo is not null) Add(replyTo, targets);
        return targets;
    }

    /// <summary>The hand's [output] file_drop folder as a delivery target, or null when it has none.</summary>
    public ChannelTarget? FileDrop(HandManifest manifest) =>
        manifest.Output.FileDrop is { } drop && channels.Has(FileDropChannel.PlatformName)
            ? new ChannelTarget(FileDropChannel.PlatformName, paths.Resolve(drop))
            : null;

    /// <summary>"-100123" or "-100123:42" (forum topic 42).</summary>
    public static ChannelTarget ParseTelegram(string value)
    {
        var trimmed = value.Trim();
        // Chat ids are negative numbers; a topic follows the last colon.
        var colon = trimmed.LastIndexOf(':');
        return colon > 0
            ? new ChannelTarget(Telegram, trimmed[..colon], trimmed[(colon + 1)..])
            : new ChannelTarget(Telegram, trimmed);
    }

    private void AddDefault(string platform, List<ChannelTarget> targets)
    {
        // Read at every resolve: a channel's default may change while running (the console fallback).
        if (channels.Get(platform)?.DefaultTarget is { } target) Add(target, targets);
    }

    private void Add(ChannelTarget target, List<ChannelTarget> targets)
    {
        if (channels.Has(target.Platform) && !targets.Contains(target)) targets.Add(target);
    }
}
