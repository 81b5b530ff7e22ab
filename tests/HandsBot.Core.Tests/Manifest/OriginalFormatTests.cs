using HandsBot.Core.Manifest;
using HandsBot.Core.Model;

namespace HandsBot.Core.Tests.Manifest;

/// <summary>Every hand in the original format must keep loading, as an agent hand, without errors.</summary>
public sealed class OriginalFormatTests : IDisposable
{
    private readonly HandFolder _folder = new();

    public void Dispose() => _folder.Dispose();

    [Theory]
    [InlineData("oracle", OriginalFormatSamples.Oracle)]
    [InlineData("sentinel", OriginalFormatSamples.Sentinel)]
    [InlineData("scribe", OriginalFormatSamples.Scribe)]
    public void LoadHand_LoadsOriginalFormat_AsAgentHand(string name, string toml)
    {
        var dir = _folder.AddHand(name, toml);
        _folder.Write($"hands/{name}/SYSTEM.md", "You are " + name + ".");
        _folder.Write($"hands/{name}/skills/analysis.md", "Analyse.");

        var hand = HandLoader.LoadHand(dir, TestContexts.Default(_folder.Root));

        Assert.True(hand.IsValid, string.Join('\n', hand.Diagnostics));
        Assert.Equal(name, hand.Name);
        var m = hand.Manifest!;
        Assert.True(m.IsAgent);
        Assert.NotNull(m.Agent);
        Assert.Equal(ScheduleKind.Cron, m.Schedule!.Kind);
        Assert.Equal("UTC", m.Schedule.TimeZone);
        Assert.NotEmpty(m.Gates);
        Assert.All(m.Gates, g => Assert.False(string.IsNullOrEmpty(g.Description)));
        Assert.Single(hand.Skills);
    }

    [Fact]
    public void LoadHand_ReadsOracleSample_FieldByField()
    {
        var dir = _folder.AddHand("oracle", OriginalFormatSamples.Oracle);
        _folder.Write("hands/oracle/SYSTEM.md", "prompt");

        var hand = HandLoader.LoadHand(dir, TestContexts.Default(_folder.Root));

        var m = hand.Manifest!;
        Assert.Equal("0 7,19 * * *", m.Schedule!.Cron);
        Assert.Equal("Bitcoin and on-chain intelligence briefing", m.Description);
        Assert.Equal("1.0.0", m.Version);
        Assert.Equal(["sh"], m.RequiredTools);
        Assert.Equal(["handsbot_sample_news_fetch"], m.OptionalTools);
        var gate = Assert.Single(m.Gates);
        Assert.True(gate.IsBroadcast);
        Assert.Equal(TimeSpan.FromSeconds(300), gate.AutoApproveAfter);
        Assert.Equal(["telegram"], m.Output.Channels);
        Assert.Equal("data/oracle_briefings/", m.Output.FileDrop);
        Assert.Equal("""{"lookback_hours":12,"include_mempool":true}""", m.ParametersJson);
        // The optional tool is missing on purpose: a warning, never an error.
        var warning = Assert.Single(hand.Diagnostics);
        Assert.Equal(Severity.Warning, warning.Severity);
        Assert.Equal("tools.optional", warning.Key);
    }

    [Fact]
    public void LoadAll_LoadsAllSamplesTogether()
    {
        _folder.AddHand("oracle", OriginalFormatSamples.Oracle);
        _folder.AddHand("sentinel", OriginalFormatSamples.Sentinel);
        _folder.AddHand("scribe", OriginalFormatSamples.Scribe);

        var hands = HandLoader.LoadAll(_folder.Hands, TestContexts.Default(_folder.Root));

        Assert.Equal(["oracle", "scribe", "sentinel"], hands.Select(h => h.Name));
        Assert.All(hands, h => Assert.True(h.IsValid, string.Join('\n', h.Diagnostics)));
    }

    [Fact]
    public void LoadHand_ManualTrigger_IsAHandWithoutSchedule()
    {
        var dir = _folder.AddHand("herald", OriginalFormatSamples.Herald);
        _folder.Write("hands/herald/SYSTEM.md", "You are herald.");

        var hand = HandLoader.LoadHand(dir, TestContexts.Default(_folder.Root));

        Assert.True(hand.IsValid, string.Join('\n', hand.Diagnostics));
        Assert.Empty(hand.Diagnostics);
        Assert.Equal(TriggerKind.Manual, hand.Manifest!.Trigger);
        Assert.Null(hand.Manifest.Schedule);
        Assert.True(hand.Manifest.IsAgent);
    }
}
