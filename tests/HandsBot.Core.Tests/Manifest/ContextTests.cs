using HandsBot.Core.Manifest;

namespace HandsBot.Core.Tests.Manifest;

public sealed class ContextTests
{
    [Fact]
    public void Parse_MatchesChannelNamesCaseInsensitively_EvenWithAnOrdinalSet()
    {
        var context = new HandLoadContext { ChannelNames = new HashSet<string>(["Briefings"], StringComparer.Ordinal) };

        var (_, diagnostics) = HandLoader.Parse("[hand]\n[output]\nchannel = \"briefings\"\n", "HAND.toml", "x", context);

        Assert.Empty(diagnostics);
    }

    [Fact]
    public void Parse_AcceptsBuiltInChannels_WithNoConfiguredChannels()
    {
        var (manifest, diagnostics) = HandLoader.Parse("[hand]\n[output]\nchannel = [\"telegram\", \"discord\", \"console\"]\n", "HAND.toml", "x", new HandLoadContext());

        Assert.Empty(diagnostics);
        Assert.Equal(3, manifest!.Output.Channels.Count);
    }

    [Fact]
    public void Parse_DoesNotCheckTheDisk()
    {
        var (_, diagnostics) = HandLoader.Parse(
            "[hand]\n[run]\ncommand = \"./surely-missing.sh\"\n[tools]\nrequired = [\"handsbot_missing_tool\"]\n", "HAND.toml", "x", new HandLoadContext());

        Assert.Empty(diagnostics);
    }

    [Fact]
    public void Parse_UsesSourceNameInDiagnostics()
    {
        var (_, diagnostics) = HandLoader.Parse("[hand]\noverlap = 1\n", "somewhere/else.toml", "x", new HandLoadContext());

        Assert.Equal("somewhere/else.toml", Assert.Single(diagnostics).File);
    }

    [Fact]
    public void Parse_UsesDefaultName_WhenNameIsMissing()
    {
        var (manifest, _) = HandLoader.Parse("[hand]\n", "HAND.toml", "fallback-name", new HandLoadContext());

        Assert.Equal("fallback-name", manifest!.Name);
    }
}
