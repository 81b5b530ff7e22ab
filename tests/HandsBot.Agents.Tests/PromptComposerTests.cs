using HandsBot.Agents.Prompting;
using HandsBot.Agents.Tests.Fakes;
using HandsBot.Agents.Tools;
using HandsBot.Core.Model;

namespace HandsBot.Agents.Tests;

public sealed class PromptComposerTests : IDisposable
{
    private readonly TempHand _hand = new("oracle");

    public void Dispose() => _hand.Dispose();

    private static HandManifest Oracle(OutputFormat format = OutputFormat.Markdown) => Harness.Manifest(name: "oracle") with
    {
        Description = "Bitcoin market intelligence",
        Schedule = new HandSchedule { Kind = ScheduleKind.Cron, Cron = "0 7,19 * * *", TimeZone = "Europe/Berlin" },
        ParametersJson = """{"lookback_hours":12,"assets":["BTC"]}""",
        Output = new OutputSpec { Format = format },
    };

    private static readonly SkillFile[] Skills =
    [
        new("fees.md", "Read the fee market first.\n"),
        new("tone.md", "\nBe terse.\n"),
    ];

    [Fact]
    public void ComposeSystem_MatchesGoldenFile_WithSystemPromptSkillsContextAndOutput()
    {
        var hand = _hand.Definition(Oracle(), systemPrompt: "You are Oracle, a Bitcoin analyst.\n\nNever give financial advice.\n", skills: Skills);

        var prompt = PromptComposer.ComposeSystem(hand, [], RunTrigger.Schedule, Harness.Now);

        Assert.Equal(ReadGolden("oracle-prompt.txt"), prompt);
    }

    [Fact]
    public void ComposeSystem_MatchesGoldenFile_WithDefaultSystemPromptFromManifestAndTools()
    {
        _hand.AddTool("price_fetch", "echo 1", "description = \"Fetches the BTC price in USD\"")
            .AddTool("fee_fetch", "echo 1", "description = \"Fetches recommended fees\"");
        var manifest = Oracle(OutputFormat.Json) with { Schedule = null, RequiredTools = ["price_fetch", "fee_fetch"] };
        var hand = _hand.Definition(manifest);
        var tools = ToolCatalog.Resolve(hand, null);

        var prompt = PromptComposer.ComposeSystem(hand, tools, RunTrigger.Manual, Harness.Now);

        Assert.Equal(ReadGolden("default-prompt.txt"), prompt);
    }

    [Theory]
    [InlineData(OutputFormat.Markdown, "Reply in Markdown")]
    [InlineData(OutputFormat.Json, "Reply with one JSON value")]
    [InlineData(OutputFormat.Html, "Reply with an HTML fragment")]
    [InlineData(OutputFormat.Text, "Reply in plain text")]
    public void ComposeSystem_EndsWithOutputInstruction_ForEachFormat(OutputFormat format, string expected)
    {
        var prompt = PromptComposer.ComposeSystem(_hand.Definition(Oracle(format)), [], RunTrigger.Manual, Harness.Now);

        var output = prompt[prompt.IndexOf("## Output", StringComparison.Ordinal)..];
        Assert.Contains(expected, output, StringComparison.Ordinal);
    }

    [Fact]
    public void ComposeSystem_ShowsUtcTime_WhenHandHasNoSchedule()
    {
        var prompt = PromptComposer.ComposeSystem(_hand.Definition(Oracle() with { Schedule = null }), [], RunTrigger.Manual, Harness.Now);

        Assert.Contains("- Time: 2026-11-23T22:15:00+00:00 (Monday, UTC)", prompt, StringComparison.Ordinal);
    }

    private static string ReadGolden(string name) =>
        File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "Golden", name)).ReplaceLineEndings("\n");
}
