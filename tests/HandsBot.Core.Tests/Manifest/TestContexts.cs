using HandsBot.Core.Manifest;
using HandsBot.Core.Model;

namespace HandsBot.Core.Tests.Manifest;

internal static class TestContexts
{
    public static HandLoadContext Default(string? displayRoot = null, string? sharedTools = null) => new()
    {
        ChannelNames = new HashSet<string>(["briefings", "Alerts"], StringComparer.OrdinalIgnoreCase),
        SharedToolsDir = sharedTools,
        DisplayRoot = displayRoot ?? Environment.CurrentDirectory,
    };

    public const string Source = "hands/oracle/HAND.toml";

    public static (HandManifest? Manifest, IReadOnlyList<Diagnostic> Diagnostics) Parse(string toml, string defaultName = "oracle") =>
        HandLoader.Parse(toml, Source, defaultName, Default());

    public static HandManifest ParseValid(string toml)
    {
        var (manifest, diagnostics) = Parse(toml);
        var errors = diagnostics.Where(d => d.IsError).ToList();
        Assert.True(errors.Count == 0, "unexpected errors:\n" + string.Join('\n', errors));
        Assert.NotNull(manifest);
        return manifest!;
    }
}
