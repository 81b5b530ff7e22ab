namespace HandsBot.Core.Delivery;

/// <summary>The channels this process has (console, Telegram, Discord), by platform name.</summary>
public sealed class ChannelSet
{
    private readonly Dictionary<string, IChannel> _byPlatform;

    public ChannelSet(IEnumerable<IChannel> channels)
    {
        _byPlatform = new Dictionary<string, IChannel>(StringComparer.OrdinalIgnoreCase);
        foreach (var channel in channels) _byPlatform[channel.Platform] = channel;
    }

    public IChannel? Get(string platform) => _byPlatform.GetValueOrDefault(platform);

    public bool Has(string platform) => _byPlatform.ContainsKey(platform);

    public IEnumerable<string> Platforms => _byPlatform.Keys;

    /// <summary>The chat platforms (Telegram, Discord, the console): every channel but the file drop.</summary>
    public IEnumerable<string> ChatPlatforms => _byPlatform.Keys.Where(p => !string.Equals(p, FileDropChannel.PlatformName, StringComparison.OrdinalIgnoreCase));
}
