namespace HandsBot.Core.Manifest;

/// <summary>What a hand is checked against while loading: configured channels, shared tools and how to show paths.</summary>
public sealed record HandLoadContext
{
    /// <summary>Route names every configuration accepts, whatever its [channels] says.</summary>
    public static readonly IReadOnlySet<string> BuiltInChannels =
        new HashSet<string>(["telegram", "discord", "console"], StringComparer.OrdinalIgnoreCase);

    /// <summary>Names under [channels] in the config (compared case-insensitively).</summary>
    public IReadOnlySet<string> ChannelNames { get; init; } = new HashSet<string>(StringComparer.OrdinalIgnoreCase);

    /// <summary>Shared tools folder searched after the hand's own tools/ folder and before PATH; null for none.</summary>
    public string? SharedToolsDir { get; init; }

    /// <summary>Paths in diagnostics are shown relative to this folder (e.g. "hands/oracle/HAND.toml").</summary>
    public string DisplayRoot { get; init; } = Environment.CurrentDirectory;

    internal bool IsKnownChannel(string name) =>
        BuiltInChannels.Contains(name)
        || ChannelNames.Contains(name)
        || ChannelNames.Any(c => string.Equals(c, name, StringComparison.OrdinalIgnoreCase));
}
