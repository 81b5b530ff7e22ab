using System.Text.Json;
using HandsBot.Core.Engine;
using HandsBot.Core.Model;
using Microsoft.Extensions.Time.Testing;

namespace HandsBot.Core.Tests.Engine;

/// <summary>What a command hand sees and what its run leaves behind.</summary>
public sealed class ExecutorTests : IDisposable
{
    private static readonly DateTimeOffset Start = new(2026, 6, 1, 10, 0, 0, TimeSpan.Zero);
    private static readonly RunRequest Manual = new(RunTrigger.Manual, "console:local");
    private readonly TestFolder _folder = new();

    public void Dispose() => _folder.Dispose();

    private async Task<ExecutionRecord> RunOnceAsync(EngineHarness engine, string hand)
    {
        var run = await engine.Engine.TriggerAsync(hand, Manual);
        Assert.True(run.Accepted, run.Status.ToString());
        await engine.SettleAsync();
        return (await engine.Store.GetExecutionAsync(run.ExecutionId!))!;
    }

    [Fact]
    public async Task Run_GetsItsContextInTheEnvironment_AndNoneOfTheBotsSecrets()
    {
        _folder.AddHand("env", "[hand]\n[run]\ncommand = \"./env.sh\"\n[output]\nformat = \"text\"\n[parameters]\nlookback_hours = 12\nsymbols = [\"BTC\", \"ETH\"]\n",
            ("env.sh", "#!/bin/sh\necho \"name=$HAND_NAME\"\necho \"dir=$HAND_DIR\"\necho \"id=$HAND_RUN_ID\"\necho \"trigger=$HAND_TRIGGER\"\necho \"format=$HAND_OUTPUT_FORMAT\"\necho \"params=$HAND_PARAMETERS\"\necho \"lookback=$HAND_PARAM_LOOKBACK_HOURS\"\necho \"symbols=$HAND_PARAM_SYMBOLS\"\necho \"requests=${HAND_REQUESTS:+set}\"\necho \"secret=${HANDSBOT_TELEGRAM__TOKEN:-none}\"\n"));
        Environment.SetEnvironmentVariable("HANDSBOT_TELEGRAM__TOKEN", "123:must-not-leak");
        try
        {
            await using var engine = await new EngineHarness(_folder, new FakeTimeProvider(Start)).StartAsync();
            var run = await RunOnceAsync(engine, "env");

            var lines = run.Output!.Split('\n', StringSplitOptions.RemoveEmptyEntries).ToDictionary(l => l[..l.IndexOf('=', StringComparison.Ordinal)], l => l[(l.IndexOf('=', StringComparison.Ordinal) + 1)..]);
            Assert.Equal("env", lines["name"]);
            Assert.Equal(Path.Combine(_folder.Path, "hands", "env"), lines["dir"]);
            Assert.Equal(run.Id, lines["id"]);
            Assert.Equal("manual", lines["trigger"]);
            Assert.Equal("text", lines["format"]);
            Assert.Equal(12, JsonDocument.Parse(lines["params"]).RootElement.GetProperty("lookback_hours").GetInt32());
            Assert.Equal("12", lines["lookback"]);
            Assert.Equal("BTC ETH", lines["symbols"]);
            Assert.Equal("set", lines["requests"]);
            Assert.Equal("none", lines["secret"]);
        }
        finally
        {
            Environment.SetEnvironmentVariable("HANDSBOT_TELEGRAM__TOKEN", null);
        }
    }

    [Fact]
    public async Task FailingRun_RecordsTheExitCodeAndStderrTail_AndCountsAFailure()
    {
        _folder.AddHand("bad", "[hand]\n[run]\ncommand = \"echo partial; echo 'disk not mounted' >&2; exit 4\"\n[output]\nchannel = \"console\"\n");
        await using var engine = await new EngineHarness(_folder, new FakeTimeProvider(Start)).StartAsync();

        var run = await RunOnceAsync(engine, "bad");

        Assert.Equal(ExecutionOutcome.Failure, run.Outcome);
        Assert.Equal("exited with code 4: disk not mounted", run.Error);
        Assert.Equal("partial\n", run.Output);
        Assert.Contains("disk not mounted", run.Stderr, StringComparison.Ordinal);
        var view = (await engine.Engine.GetHandAsync("bad"))!;
        Assert.Equal(new HandCounters(1, 0, 1), view.Counters);
        Assert.Contains(engine.Channel.Texts, t => t.Contains("failed", StringComparison.Ordinal) && t.Contains("disk not mounted", StringComparison.Ordinal));
    }

    [Fact]
    public async Task JsonFormat_FailsTheRun_WhenStdoutIsNotJson()
    {
        _folder.AddHand("api", "[hand]\n[run]\ncommand = \"echo '{not json'\"\n[output]\nformat = \"json\"\n");
        await using var engine = await new EngineHarness(_folder, new FakeTimeProvider(Start)).StartAsync();

        var run = await RunOnceAsync(engine, "api");

        Assert.Equal(ExecutionOutcome.Failure, run.Outcome);
        Assert.StartsWith("output format is json but stdout is not valid JSON", run.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task FileDrop_WritesTheOutput_NamedByHandAndUtcTime_AndRecordsTheFile()
    {
        _folder.AddHand("brief", "[hand]\n[run]\ncommand = \"echo '# Brief'\"\n[output]\nformat = \"markdown\"\nfile_drop = \"data/briefings/\"\n");
        await using var engine = await new EngineHarness(_folder, new FakeTimeProvider(Start)).StartAsync();

        var run = await RunOnceAsync(engine, "brief");

        var file = Assert.Single(run.Files);
        Assert.Equal(Path.Combine(_folder.Path, "data", "briefings", "brief_20260601T100000Z.md"), file);
        Assert.Equal("# Brief\n", File.ReadAllText(file));
    }
}
