using HandsBot.Core.Model;
using static HandsBot.Core.Tests.Manifest.TestContexts;

namespace HandsBot.Core.Tests.Manifest;

/// <summary>Every error a bad HAND.toml can produce, with its line, column, key and message.</summary>
public sealed class ValidationErrorTests
{
    public static TheoryData<string, string, int?, int?, string, string> Cases => new()
    {
        // name, toml, line, column, key, message part
        { "syntax", "[hand]\nname = \"oracle\ndescription = 1\n", 2, 15, "", "TOML syntax error: Invalid newline in a string" },
        { "key twice", "[hand]\nname = \"a\"\nname = \"b\"\n", 3, 1, "", "already defined" },
        { "table twice", "[hand]\n[hand]\n", 2, 1, "", "already defined" },
        { "missing [hand]", "[run]\ncommand = \"./run.sh\"\n", 1, 1, "hand", "missing [hand] section" },
        { "hand not a table", "hand = \"oracle\"\n", 1, 8, "hand", "expected a table ([hand]), got a string" },
        { "bad name", "[hand]\nname = \"Oracle Bot\"\n", 2, 8, "name", "'Oracle Bot' is not a valid hand name" },
        { "name too long", "[hand]\nname = \"" + new string('a', 33) + "\"\n", 2, 8, "name", "not a valid hand name" },
        { "name wrong type", "[hand]\nname = 7\n", 2, 8, "name", "expected a string, got an integer (7)" },
        { "cron 4 fields", "[hand]\n\nschedule = \"0 7 * *\"\n", 3, 12, "schedule", "cron expression has 4 fields, expected 5" },
        { "cron bad value", "[hand]\nschedule = \"61 * * * *\"\n", 2, 12, "schedule", "Minutes" },
        { "cron in table", "[hand]\n[hand.schedule]\ncron = \"* * *\"\n", 3, 8, "schedule.cron", "has 3 fields" },
        { "schedule wrong type", "[hand]\nschedule = 15\n", 2, 12, "schedule", "expected a cron string or a table" },
        { "interval zero", "[hand]\n[hand.schedule]\ninterval = 0\n", 3, 12, "schedule.interval", "must be greater than 0 seconds" },
        { "interval negative", "[hand]\nschedule = { interval = -60 }\n", 2, 25, "schedule.interval", "must not be negative (got -60)" },
        { "interval float", "[hand]\nschedule = { interval = 1.5 }\n", 2, 25, "schedule.interval", "expected a whole number of seconds, got a number (1.5)" },
        { "interval string", "[hand]\nschedule = { interval = \"15m\" }\n", 2, 25, "schedule.interval", "expected a whole number of seconds, got a string (\"15m\")" },
        { "bad at", "[hand]\n[hand.schedule]\nat = \"25:00\"\n", 3, 6, "schedule.at", "'25:00' is not a time of day" },
        { "bad at in list", "[hand]\n[hand.schedule]\nat = [\"07:00\", \"7pm\"]\n", 3, 6, "schedule.at", "'7pm' is not a time of day" },
        { "at number", "[hand]\n[hand.schedule]\nat = 730\n", 3, 6, "schedule.at", "an integer (730) is not a time of day" },
        { "at empty", "[hand]\n[hand.schedule]\nat = []\n", 3, 6, "schedule.at", "needs at least one time of day" },
        { "unknown timezone", "[hand]\n[hand.schedule]\ninterval = 60\ntimezone = \"Mars/Olympus\"\n", 4, 12, "schedule.timezone", "unknown time zone 'Mars/Olympus'" },
        { "two kinds", "[hand]\n[hand.schedule]\ncron = \"0 * * * *\"\ninterval = 60\n", 4, 12, "schedule.interval", "both 'cron' and 'interval'" },
        { "no kind", "[hand]\n[hand.schedule]\ntimezone = \"UTC\"\n", 2, 7, "schedule", "needs one of 'cron', 'interval' or 'at'" },
        { "misfire", "[hand]\n[hand.schedule]\ninterval = 60\nmisfire = \"catch_up\"\n", 4, 11, "schedule.misfire", "unknown value 'catch_up', expected 'run_once' or 'skip'" },
        { "misfire grace", "[hand]\n[hand.schedule]\ninterval = 60\nmisfire_grace = -1\n", 4, 17, "schedule.misfire_grace", "must not be negative" },
        { "enabled type", "[hand]\nenabled = \"yes\"\n", 2, 11, "enabled", "expected true or false, got a string (\"yes\")" },
        { "description type", "[hand]\ndescription = [\"a\"]\n", 2, 15, "description", "expected a string, got an array" },
        { "overlap", "[hand]\noverlap = \"parallel\"\n", 2, 11, "overlap", "unknown value 'parallel', expected 'skip', 'queue' or 'replace'" },
        { "run and agent", "[hand]\n[run]\ncommand = \"x\"\n[agent]\n", 4, 2, "agent", "not both" },
        { "run without command", "[hand]\n[run]\ntimeout = 5\n", 2, 2, "run.command", "[run] needs command" },
        { "run empty command", "[hand]\n[run]\ncommand = \" \"\n", 3, 11, "run.command", "command is empty" },
        { "run empty argv", "[hand]\n[run]\ncommand = []\n", 3, 11, "run.command", "command array is empty" },
        { "run argv type", "[hand]\n[run]\ncommand = [\"a\", 1]\n", 3, 11, "run.command", "item 2 must be a string, got an integer (1)" },
        { "run command type", "[hand]\n[run]\ncommand = 1\n", 3, 11, "run.command", "expected a string (run by /bin/sh -c) or an array of strings" },
        { "run timeout", "[hand]\n[run]\ncommand = \"x\"\ntimeout = 0\n", 4, 11, "run.timeout", "must be greater than 0 seconds" },
        { "run not table", "run = \"./x\"\n[hand]\n", 1, 7, "run", "expected a table, got a string" },
        { "agent temperature", "[hand]\n[agent]\ntemperature = 3.5\n", 3, 15, "agent.temperature", "between 0 and 2" },
        { "agent iterations", "[hand]\n[agent]\nmax_iterations = 0\n", 3, 18, "agent.max_iterations", "between 1 and 1000" },
        { "cron that never fires", "[hand]\nschedule = \"0 0 30 2 *\"\n[run]\ncommand = \"echo\"\n", 2, 12, "schedule", "never fires" },
        { "agent endpoint", "[hand]\n[agent]\nendpoint = \"localhost:8080\"\n", 3, 12, "agent.endpoint", "not an http:// or https:// URL" },
        { "agent timeout", "[hand]\n[agent]\ntimeout = -5\n", 3, 11, "agent.timeout", "must not be negative" },
        { "tools type", "[hand]\n[tools]\nrequired = \"jq\"\n", 3, 12, "tools.required", "expected an array of strings, got a string" },
        { "tool path", "[hand]\n[tools]\nrequired = [\"../bin/jq\"]\n", 3, 12, "tools.required", "is not a tool name" },
        { "gate not table", "[hand]\n[approval_gates]\npost = \"broadcast\"\n", 3, 8, "approval_gates.post", "gate must be a table" },
        { "gates not table", "approval_gates = 1\n[hand]\n", 1, 18, "approval_gates", "expected a table, got an integer (1)" },
        { "gate negative", "[hand]\n[approval_gates]\npost = { auto_approve_after = -300 }\n", 3, 31, "approval_gates.post.auto_approve_after", "must not be negative (got -300)" },
        { "gate expires zero", "[hand]\n[approval_gates]\npost = { expires_after = 0 }\n", 3, 26, "approval_gates.post.expires_after", "must be greater than 0" },
        { "gate approver", "[hand]\n[approval_gates]\npost = { approvers = [\"42\"] }\n", 3, 22, "approval_gates.post.approvers", "'42' is not an identity" },
        { "gate command type", "[hand]\n[approval_gates]\npost = { command = true }\n", 3, 20, "approval_gates.post.command", "expected a string" },
        { "format", "[hand]\n[output]\nformat = \"pdf\"\n", 3, 10, "output.format", "unknown value 'pdf', expected 'markdown', 'json', 'html' or 'text'" },
        { "channel", "[hand]\n[output]\nchannel = \"slack\"\n", 3, 11, "output.channel", "'slack' is not a configured channel" },
        { "channel in list", "[hand]\n[output]\nchannel = [\"telegram\", \"ops\"]\n", 3, 11, "output.channel", "'ops' is not a configured channel" },
        { "channel and channels", "[hand]\n[output]\nchannel = \"telegram\"\nchannels = [\"discord\"]\n", 4, 12, "output.channels", "either 'channel' or 'channels'" },
        { "dashboard type", "[hand]\n[output]\ndashboard = 1\n", 3, 13, "output.dashboard", "expected true or false, got an integer (1)" },
        { "file_drop empty", "[hand]\n[output]\nfile_drop = \"\"\n", 3, 13, "output.file_drop", "must not be empty" },
        { "parameters type", "parameters = [1]\n[hand]\n", 1, 14, "parameters", "expected a table, got an array" },
    };

    [Theory]
    [MemberData(nameof(Cases))]
    public void Parse_ReportsError_WithFileLineColumnKeyAndMessage(string name, string toml, int? line, int? column, string key, string message)
    {
        var (_, diagnostics) = Parse(toml);

        var errors = diagnostics.Where(d => d.IsError).ToList();
        Assert.True(errors.Count > 0, $"{name}: expected an error, got none");
        var error = errors[0];
        Assert.Equal(Source, error.File);
        Assert.Equal(key, error.Key);
        Assert.Contains(message, error.Message, StringComparison.Ordinal);
        Assert.Equal(line, error.Line);
        Assert.Equal(column, error.Column);
    }

    [Fact]
    public void Diagnostic_FormatsLikeACompiler()
    {
        var (_, diagnostics) = Parse("[hand]\nname = \"oracle\"\nschedule = \"0 7 * *\"\n");

        var error = Assert.Single(diagnostics);
        Assert.StartsWith("hands/oracle/HAND.toml(3,12): schedule: cron expression has 4 fields, expected 5", error.ToString(), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("[hand]\r\nname = \"oracle\"\r\nschedule = \"0 7 * *\"\r\n")]
    [InlineData("[hand]\nname = \"oracle\"\nschedule\t=\t\"0 7 * *\"\n")]
    public void Parse_PointsAtValue_WithCrLfAndTabs(string toml)
    {
        var error = Assert.Single(Parse(toml).Diagnostics);

        Assert.Equal(3, error.Line);
        Assert.Equal(12, error.Column);
    }

    [Fact]
    public void Parse_SuggestsAtOrInterval_WhenScheduleIsOneWord()
    {
        var error = Assert.Single(Parse("[hand]\nschedule = \"07:30\"\n").Diagnostics);

        Assert.Contains("has 1 field", error.Message, StringComparison.Ordinal);
        Assert.Contains("at = \"07:30\"", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Parse_ReportsEveryProblem_NotJustTheFirst()
    {
        var (_, diagnostics) = Parse("""
            [hand]
            name = "BAD"
            overlap = "x"
            [output]
            format = "pdf"
            channel = "nowhere"
            """);

        Assert.Equal(["name", "output.channel", "output.format", "overlap"], diagnostics.Where(d => d.IsError).Select(d => d.Key).Order(StringComparer.Ordinal));
    }

    [Fact]
    public void Parse_ReportsBadFolderName_WhenNameIsNotGiven()
    {
        var (_, diagnostics) = Parse("[hand]\n", defaultName: "My Hand");

        var error = Assert.Single(diagnostics);
        Assert.Equal("name", error.Key);
        Assert.Contains("folder name 'My Hand' is not a valid hand name", error.Message, StringComparison.Ordinal);
        Assert.Equal(1, error.Line);
    }

    [Fact]
    public void Parse_ReturnsNoManifest_WhenTomlIsInvalid()
    {
        var (manifest, diagnostics) = Parse("[hand\n");

        Assert.Null(manifest);
        Assert.All(diagnostics, d => Assert.Equal(Severity.Error, d.Severity));
    }
}
