using System.Text.Json;
using HandsBot.Core.Manifest;
using HandsBot.Core.Model;

namespace HandsBot.Core.Tests.Manifest;

public sealed class ManifestJsonTests
{
    private const string Command = """
        [hand]
        name = "oracle"
        description = "d"
        version = "2"
        overlap = "replace"
        [hand.schedule]
        at = ["07:30", "19:00"]
        timezone = "Europe/Berlin"
        misfire = "skip"
        misfire_grace = 120
        [run]
        command = ["./run.sh", "--x"]
        timeout = 60
        [tools]
        required = ["jq"]
        [approval_gates]
        post = { action = "broadcast", description = "Post", auto_approve_after = 300 }
        restart = { command = "./restart.sh", expires_after = 3600, approvers = ["telegram:42"] }
        [output]
        channel = ["briefings", "console"]
        format = "html"
        file_drop = "out/"
        [parameters]
        lookback_hours = 12
        """;

    [Fact]
    public void Serialize_WritesStableSnakeCaseShape()
    {
        var m = TestContexts.ParseValid(Command);

        using var doc = JsonDocument.Parse(ManifestJson.Serialize(m));
        var r = doc.RootElement;

        Assert.Equal(
            ["name", "description", "enabled", "version", "overlap", "kind", "schedule", "trigger", "webhook", "event", "run", "agent", "tools", "approval_gates", "output", "parameters"],
            r.EnumerateObject().Select(p => p.Name));
        Assert.Equal("replace", r.GetProperty("overlap").GetString());
        Assert.Equal("command", r.GetProperty("kind").GetString());
        var s = r.GetProperty("schedule");
        Assert.Equal("at", s.GetProperty("kind").GetString());
        Assert.Equal(["07:30", "19:00"], s.GetProperty("at").EnumerateArray().Select(e => e.GetString()));
        Assert.Equal("Europe/Berlin", s.GetProperty("timezone").GetString());
        Assert.Equal("skip", s.GetProperty("misfire").GetString());
        Assert.Equal(120, s.GetProperty("misfire_grace").GetInt32());
        Assert.Equal(["./run.sh", "--x"], r.GetProperty("run").GetProperty("argv").EnumerateArray().Select(e => e.GetString()));
        Assert.Equal(60, r.GetProperty("run").GetProperty("timeout").GetInt32());
        Assert.Equal(JsonValueKind.Null, r.GetProperty("agent").ValueKind);
        var gates = r.GetProperty("approval_gates");
        Assert.Equal(300, gates[0].GetProperty("auto_approve_after").GetInt32());
        Assert.Equal("restart", gates[1].GetProperty("action").GetString());
        Assert.Equal("./restart.sh", gates[1].GetProperty("command").GetProperty("command").GetString());
        Assert.Equal("html", r.GetProperty("output").GetProperty("format").GetString());
        Assert.Equal(12, r.GetProperty("parameters").GetProperty("lookback_hours").GetInt32());
    }

    [Theory]
    [InlineData(Command)]
    [InlineData("[hand]\nschedule = \"*/5 * * * *\"\n[agent]\nmodel = \"m\"\ntemperature = 0.7\n")]
    [InlineData("[hand]\n[hand.schedule]\ninterval = 900\n[run]\ncommand = \"./run.sh\"\n")]
    [InlineData("[hand]\n")]
    public void Deserialize_RoundTripsSerialize(string toml)
    {
        var m = TestContexts.ParseValid(toml);
        var json = ManifestJson.Serialize(m);

        var back = ManifestJson.Deserialize(json);

        Assert.Equal(json, ManifestJson.Serialize(back));
        Assert.Equal(m.Schedule, back.Schedule is null ? null : back.Schedule with { At = m.Schedule!.At });
        Assert.Equal(m.Schedule?.At ?? [], back.Schedule?.At ?? []);
        Assert.Equal(m.IsAgent, back.IsAgent);
        Assert.Equal(m.Gates.Count, back.Gates.Count);
    }

    [Fact]
    public void Serialize_IsStable_ForEqualInput()
    {
        Assert.Equal(ManifestJson.Serialize(TestContexts.ParseValid(Command)), ManifestJson.Serialize(TestContexts.ParseValid(Command)));
    }

    [Fact]
    public void Serialize_WritesEmptyParameters_WhenParametersJsonIsNotJson()
    {
        var json = ManifestJson.Serialize(new HandManifest { Name = "x", ParametersJson = "not json" });

        using var doc = JsonDocument.Parse(json);
        Assert.Equal("{}", doc.RootElement.GetProperty("parameters").GetRawText());
    }
}
