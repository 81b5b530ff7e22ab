using HandsBot.Core.Model;
using static HandsBot.Core.Tests.Manifest.TestContexts;

namespace HandsBot.Core.Tests.Manifest;

public sealed class ManifestFieldTests
{
    private const string Full = """
        [hand]
        name = "oracle"
        description = "Bitcoin market intelligence"
        enabled = false
        version = "1.2.0"
        author = "Timmy"
        overlap = "queue"

        [hand.schedule]
        cron = "0 7,19 * * *"
        timezone = "Europe/Berlin"
        misfire = "skip"
        misfire_grace = 600

        [run]
        command = ["sh", "-c", "echo hi"]
        timeout = 120

        [tools]
        required = ["mempool_fetch"]
        optional = ["news_fetch", "fee_estimate"]

        [approval_gates]
        post_update = { action = "broadcast", description = "Post the briefing", auto_approve_after = 300 }
        restart = { action = "restart", description = "Restart a service", command = "./restart.sh", expires_after = 3600, approvers = ["telegram:42", "discord:7"], timeout = 30 }

        [output]
        dashboard = false
        channel = ["briefings", "telegram"]
        format = "json"
        file_drop = "data/oracle_briefings/"

        [parameters]
        lookback_hours = 12
        symbols = ["BTC", "ETH"]
        nested = { threshold = 0.5, on = true }
        """;

    [Fact]
    public void Parse_ReadsEveryField_WhenAllAreGiven()
    {
        var m = ParseValid(Full);

        Assert.Equal("oracle", m.Name);
        Assert.Equal("Bitcoin market intelligence", m.Description);
        Assert.False(m.Enabled);
        Assert.Equal("1.2.0", m.Version);
        Assert.Equal("Timmy", m.Author);
        Assert.Equal(OverlapPolicy.Queue, m.Overlap);

        var s = Assert.IsType<HandSchedule>(m.Schedule);
        Assert.Equal(ScheduleKind.Cron, s.Kind);
        Assert.Equal("0 7,19 * * *", s.Cron);
        Assert.Equal("Europe/Berlin", s.TimeZone);
        Assert.Equal(MisfirePolicy.Skip, s.Misfire);
        Assert.Equal(TimeSpan.FromMinutes(10), s.MisfireGrace);

        Assert.NotNull(m.Run);
        Assert.Equal(["sh", "-c", "echo hi"], m.Run!.Argv);
        Assert.Null(m.Run.CommandLine);
        Assert.Equal(TimeSpan.FromSeconds(120), m.Run.Timeout);
        Assert.Null(m.Agent);
        Assert.False(m.IsAgent);

        Assert.Equal(["mempool_fetch"], m.RequiredTools);
        Assert.Equal(["news_fetch", "fee_estimate"], m.OptionalTools);

        Assert.Equal(["post_update", "restart"], m.Gates.Select(g => g.Key));
        var post = m.Gates[0];
        Assert.True(post.IsBroadcast);
        Assert.Equal("Post the briefing", post.Description);
        Assert.Equal(TimeSpan.FromMinutes(5), post.AutoApproveAfter);
        Assert.Null(post.ExpiresAfter);
        Assert.Null(post.Command);
        var restart = m.Gates[1];
        Assert.Equal("restart", restart.Action);
        Assert.Equal("./restart.sh", restart.Command!.CommandLine);
        Assert.Equal(TimeSpan.FromSeconds(30), restart.Command.Timeout);
        Assert.Equal(TimeSpan.FromHours(1), restart.ExpiresAfter);
        Assert.Equal(["telegram:42", "discord:7"], restart.Approvers);

        Assert.False(m.Output.Dashboard);
        Assert.Equal(["briefings", "telegram"], m.Output.Channels);
        Assert.Equal(OutputFormat.Json, m.Output.Format);
        Assert.Equal("data/oracle_briefings/", m.Output.FileDrop);

        Assert.Equal("""{"lookback_hours":12,"symbols":["BTC","ETH"],"nested":{"threshold":0.5,"on":true}}""", m.ParametersJson);
    }

    [Fact]
    public void Parse_UsesDefaults_WhenOnlyHandIsGiven()
    {
        var m = ParseValid("[hand]\n");

        Assert.Equal("oracle", m.Name);
        Assert.Equal("", m.Description);
        Assert.True(m.Enabled);
        Assert.Null(m.Version);
        Assert.Null(m.Author);
        Assert.Equal(OverlapPolicy.Skip, m.Overlap);
        Assert.Null(m.Schedule);
        Assert.Null(m.Run);
        Assert.NotNull(m.Agent);
        Assert.True(m.IsAgent);
        Assert.Equal(8, m.Agent!.MaxIterations);
        Assert.Equal(0.2, m.Agent.Temperature);
        Assert.Equal(TimeSpan.FromMinutes(10), m.Agent.Timeout);
        Assert.Empty(m.RequiredTools);
        Assert.Empty(m.Gates);
        Assert.True(m.Output.Dashboard);
        Assert.Empty(m.Output.Channels);
        Assert.Equal(OutputFormat.Markdown, m.Output.Format);
        Assert.Null(m.Output.FileDrop);
        Assert.Equal("{}", m.ParametersJson);
    }

    [Fact]
    public void Parse_ReadsAgentSection_WhenGiven()
    {
        var m = ParseValid("""
            [hand]
            [agent]
            model = "gpt-4o-mini"
            endpoint = "http://127.0.0.1:11434/v1"
            max_iterations = 3
            temperature = 1
            timeout = 90
            """);

        Assert.Null(m.Run);
        Assert.Equal("gpt-4o-mini", m.Agent!.Model);
        Assert.Equal("http://127.0.0.1:11434/v1", m.Agent.Endpoint);
        Assert.Equal(3, m.Agent.MaxIterations);
        Assert.Equal(1.0, m.Agent.Temperature);
        Assert.Equal(TimeSpan.FromSeconds(90), m.Agent.Timeout);
    }

    [Fact]
    public void Parse_TreatsAnEmptyAgentEndpoint_AsTheConfiguredDefault()
    {
        var m = ParseValid("[hand]\n[agent]\nendpoint = \"\"\n");

        Assert.Null(m.Agent!.Endpoint);
    }

    [Fact]
    public void Parse_KeepsCommandLine_WhenRunCommandIsAString()
    {
        var m = ParseValid("[hand]\n[run]\ncommand = \"./run.sh --fast\"\n");

        Assert.Equal("./run.sh --fast", m.Run!.CommandLine);
        Assert.Null(m.Run.Argv);
        Assert.Equal(TimeSpan.FromMinutes(10), m.Run.Timeout);
        Assert.Null(m.Agent);
    }

    [Fact]
    public void Parse_KeepsGatesInFileOrder_AndDefaultsActionToKey()
    {
        var m = ParseValid("""
            [hand]
            [approval_gates]
            zeta = { description = "last letter first" }
            alpha = { action = "broadcast" }
            [approval_gates.middle]
            description = "a regular table works too"
            """);

        Assert.Equal(["zeta", "alpha", "middle"], m.Gates.Select(g => g.Key));
        Assert.Equal(["zeta", "broadcast", "middle"], m.Gates.Select(g => g.Action));
        Assert.Same(m.Gates[1], m.BroadcastGate);
        Assert.Same(m.Gates[0], m.FindGate("zeta"));
    }

    [Theory]
    [InlineData("channel = \"telegram\"", new[] { "telegram" })]
    [InlineData("channel = \"DISCORD\"", new[] { "DISCORD" })]
    [InlineData("channel = \"alerts\"", new[] { "alerts" })]
    [InlineData("channel = [\"console\", \"briefings\", \"console\"]", new[] { "console", "briefings" })]
    [InlineData("channels = [\"briefings\"]", new[] { "briefings" })]
    [InlineData("channel = []", new string[0])]
    public void Parse_ReadsOutputChannels_WhenTheyAreKnown(string line, string[] expected)
    {
        var m = ParseValid($"[hand]\n[output]\n{line}\n");

        Assert.Equal(expected, m.Output.Channels);
    }

    [Theory]
    [InlineData("markdown", OutputFormat.Markdown)]
    [InlineData("json", OutputFormat.Json)]
    [InlineData("html", OutputFormat.Html)]
    [InlineData("text", OutputFormat.Text)]
    [InlineData("Markdown", OutputFormat.Markdown)]
    public void Parse_ReadsOutputFormat(string format, OutputFormat expected)
    {
        var m = ParseValid($"[hand]\n[output]\nformat = \"{format}\"\n");

        Assert.Equal(expected, m.Output.Format);
    }

    [Theory]
    [InlineData("skip", OverlapPolicy.Skip)]
    [InlineData("queue", OverlapPolicy.Queue)]
    [InlineData("replace", OverlapPolicy.Replace)]
    public void Parse_ReadsOverlap(string value, OverlapPolicy expected)
    {
        Assert.Equal(expected, ParseValid($"[hand]\noverlap = \"{value}\"\n").Overlap);
    }

    [Fact]
    public void Parse_KeepsParameterTypes_InJson()
    {
        var m = ParseValid("""
            [hand]
            [parameters]
            text = "a \"quoted\" word"
            count = -3
            ratio = 1.5
            flag = false
            day = 2024-01-02
            at = 2024-01-02T03:04:05Z
            list = [1, "two", [3]]
            [[parameters.feeds]]
            url = "https://example.org/a"
            [[parameters.feeds]]
            url = "https://example.org/b"
            """);

        using var json = System.Text.Json.JsonDocument.Parse(m.ParametersJson);
        var p = json.RootElement;
        Assert.Equal("a \"quoted\" word", p.GetProperty("text").GetString());
        Assert.Equal(-3, p.GetProperty("count").GetInt32());
        Assert.Equal(1.5, p.GetProperty("ratio").GetDouble());
        Assert.False(p.GetProperty("flag").GetBoolean());
        Assert.Equal("2024-01-02", p.GetProperty("day").GetString());
        Assert.StartsWith("2024-01-02T03:04:05", p.GetProperty("at").GetString(), StringComparison.Ordinal);
        Assert.Equal(3, p.GetProperty("list").GetArrayLength());
        Assert.Equal("https://example.org/b", p.GetProperty("feeds")[1].GetProperty("url").GetString());
        Assert.Equal(["text", "count", "ratio", "flag", "day", "at", "list", "feeds"], p.EnumerateObject().Select(o => o.Name));
    }

    [Fact]
    public void Parse_ReturnsManifestWithErrors_WhenOnlyValuesAreWrong()
    {
        var (manifest, diagnostics) = Parse("[hand]\nname = \"oracle\"\nschedule = \"bad\"\n");

        Assert.NotNull(manifest);
        Assert.Contains(diagnostics, d => d.IsError);
    }
}
