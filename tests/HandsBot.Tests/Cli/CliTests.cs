using HandsBot.Cli;

namespace HandsBot.Tests.Cli;

public sealed class CliTests : IDisposable
{
    private readonly TempBot _bot = new();

    public void Dispose() => _bot.Dispose();

    private async Task<(int Exit, string Out, string Err)> Run(params string[] args)
    {
        var stdout = new StringWriter();
        var stderr = new StringWriter();
        var exit = await HandsBotCli.RunAsync(args, stdout, stderr);
        return (exit, stdout.ToString(), stderr.ToString());
    }

    [Fact]
    public async Task Validate_ExitsZero_WhenEveryHandIsValid()
    {
        _bot.AddHand("ok", "[hand]\nschedule = \"0 7 * * *\"\n[run]\ncommand = \"echo ok\"\n");

        var (exit, stdout, _) = await Run("validate", "--config", _bot.ConfigPath);

        Assert.Equal(0, exit);
        Assert.Contains("1 hands checked: 1 valid, 0 invalid", stdout, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Validate_ExitsOne_AndNamesFileLineAndProblem_WhenAHandIsInvalid()
    {
        _bot.AddHand("ok", "[hand]\n[run]\ncommand = \"echo ok\"\n");
        _bot.AddHand("bad", "[hand]\nname = \"bad\"\nschedule = \"0 7 * *\"\n[run]\ncommand = \"echo bad\"\n");

        var (exit, stdout, stderr) = await Run("validate", "--config", _bot.ConfigPath);

        Assert.Equal(1, exit);
        Assert.Contains("hands/bad/HAND.toml(3,", stderr, StringComparison.Ordinal);
        Assert.Contains("4 fields", stderr, StringComparison.Ordinal);
        Assert.Contains("2 hands checked: 1 valid, 1 invalid", stdout, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("validate", "--bogus")]
    [InlineData("frobnicate")]
    [InlineData("run")]
    public async Task UsageErrors_ExitTwo(params string[] args)
    {
        var (exit, _, stderr) = await Run([.. args, "--config", _bot.ConfigPath]);

        Assert.Equal(2, exit);
        Assert.NotEmpty(stderr);
    }

    [Fact]
    public async Task MissingConfigFile_ExitsTwo_WithAClearMessage()
    {
        var (exit, _, stderr) = await Run("validate", "--config", Path.Combine(_bot.Root, "nope.toml"));

        Assert.Equal(2, exit);
        Assert.Contains("config file not found", stderr, StringComparison.Ordinal);
    }

    [Fact]
    public async Task BadConfigValues_ExitTwo_NamingSectionAndKey()
    {
        File.WriteAllText(_bot.ConfigPath, "[telegram]\nmode = \"poll\"\n[access]\nadmins = [\"42\"]\n[scheduler]\nmax_concurrent_runs = 0\n");

        var (exit, _, stderr) = await Run("validate", "--config", _bot.ConfigPath);

        Assert.Equal(2, exit);
        Assert.Contains("[telegram] mode: expected \"polling\" or \"webhook\", got \"poll\"", stderr, StringComparison.Ordinal);
        Assert.Contains("[access] admins: \"42\" is not an identity", stderr, StringComparison.Ordinal);
        Assert.Contains("[scheduler] max_concurrent_runs: must be at least 1", stderr, StringComparison.Ordinal);
    }

    [Fact]
    public async Task BadToml_ExitsTwo_WithFileAndLine()
    {
        File.WriteAllText(_bot.ConfigPath, "[hands]\ndir = \"hands\n");

        var (exit, _, stderr) = await Run("validate", "--config", _bot.ConfigPath);

        Assert.Equal(2, exit);
        Assert.Matches(@"handsbot\.toml\(2,\d+\)", stderr);
    }

    [Fact]
    public async Task List_ShowsEveryHand_InvalidOnesWithTheirProblems()
    {
        _bot.AddHand("morning", "[hand]\n[hand.schedule]\nat = \"07:30\"\ntimezone = \"Europe/Berlin\"\n[run]\ncommand = \"echo hi\"\n");
        _bot.AddHand("broken", "[hand]\nschedule = \"61 * * * *\"\n[run]\ncommand = \"echo hi\"\n");

        var (exit, stdout, _) = await Run("list", "--config", _bot.ConfigPath);

        Assert.Equal(0, exit);
        Assert.Contains("morning", stdout, StringComparison.Ordinal);
        Assert.Contains("Europe/Berlin", stdout, StringComparison.Ordinal);
        Assert.Contains("broken", stdout, StringComparison.Ordinal);
        Assert.Matches(@"broken\s+invalid\s+invalid \(see below\)", stdout);
        Assert.DoesNotContain("manual only", stdout, StringComparison.Ordinal);
        Assert.Contains("hands/broken/HAND.toml(2,", stdout, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Run_PrintsTheOutput_AndExitsByOutcome()
    {
        _bot.AddHand("hello", "[hand]\n[run]\ncommand = \"echo hello from $HAND_NAME\"\n");
        _bot.AddHand("fails", "[hand]\n[run]\ncommand = \"echo oops >&2; exit 3\"\n");

        var ok = await Run("run", "hello", "--config", _bot.ConfigPath);
        var failed = await Run("run", "fails", "--config", _bot.ConfigPath);
        var unknown = await Run("run", "nope", "--config", _bot.ConfigPath);

        Assert.Equal(0, ok.Exit);
        Assert.Equal("hello from hello\n", ok.Out);
        Assert.Equal(1, failed.Exit);
        Assert.Contains("exited with code 3: oops", failed.Err, StringComparison.Ordinal);
        Assert.Equal(1, unknown.Exit);
        Assert.Contains("No hand named nope", unknown.Err, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Run_SuggestsTheClosestName_ForATypo()
    {
        _bot.AddHand("hello", "[hand]\n[run]\ncommand = \"echo hi\"\n");

        var typo = await Run("run", "helo", "--config", _bot.ConfigPath);

        Assert.Equal(1, typo.Exit);
        Assert.Contains("No hand named helo. Did you mean hello?", typo.Err, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Invite_PrintsTheDiscordLink_OrSaysWhatIsMissing()
    {
        var missing = await Run("invite", "--config", _bot.ConfigPath);
        File.WriteAllText(_bot.ConfigPath, "[discord]\napplication_id = \"123456789012345678\"\n");
        var ok = await Run("invite", "--config", _bot.ConfigPath);

        Assert.Equal(2, missing.Exit);
        Assert.Contains("application_id", missing.Err, StringComparison.Ordinal);
        Assert.Equal(0, ok.Exit);
        Assert.Contains("client_id=123456789012345678", ok.Out, StringComparison.Ordinal);
        Assert.Contains("applications.commands", ok.Out, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Validate_ReportsAgentToolsWithoutAValidSidecar()
    {
        _bot.AddHand("agent", "[hand]\n[agent]\nmodel = \"m\"\n[tools]\nrequired = [\"probe\"]\n", ("SYSTEM.md", "Probe."), ("tools/probe", "#!/bin/sh\necho {}\n"));

        var (exit, _, stderr) = await Run("validate", "--config", _bot.ConfigPath);

        Assert.Equal(1, exit);
        Assert.Contains("probe", stderr, StringComparison.Ordinal);
        Assert.Contains("sidecar", stderr, StringComparison.OrdinalIgnoreCase);
    }
}
