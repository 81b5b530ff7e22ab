using HandsBot.Configuration;

namespace HandsBot.Tests.Configuration;

public sealed class ConfigurationTests : IDisposable
{
    private readonly TempBot _bot = new();

    public void Dispose() => _bot.Dispose();

    private HandsBotSettings Load(string toml, params (string Name, string Value)[] environment)
    {
        File.WriteAllText(_bot.ConfigPath, toml);
        return HandsBotSettings.Load(LoadedConfig.Load(_bot.ConfigPath, environment.Select(e => new KeyValuePair<string, string?>(e.Name, e.Value))));
    }

    private string Problems(string toml, params (string Name, string Value)[] environment) =>
        Assert.Throws<ConfigException>(() => Load(toml, environment)).Message;

    [Fact]
    public void Toml_IsReadIntoTypedOptions_WithSnakeCaseKeysAndNamedChannels()
    {
        var settings = Load("""
            [hands]
            dir = "my-hands"
            [telegram]
            token = "123:abc"
            default_chat = "-100123:7"
            [access]
            admins = ["telegram:42", "discord-role:9"]
            [scheduler]
            max_concurrent_runs = 8
            [output]
            reply_to_invoker = false
            [channels.briefings]
            telegram = "-1001234567890"
            discord = "123456789012345678"
            """);

        Assert.Equal("my-hands", settings.Hands.Dir);
        Assert.Equal("123:abc", settings.Telegram.Token);
        Assert.Equal("-100123:7", settings.Telegram.DefaultChat);
        Assert.Equal(["telegram:42", "discord-role:9", "console:local"], settings.Access.Admins);
        Assert.Equal(8, settings.Scheduler.MaxConcurrentRuns);
        Assert.False(settings.Output.ReplyToInvoker);
        Assert.Equal("-1001234567890", settings.Channels["briefings"].Telegram);
        Assert.Equal("123456789012345678", settings.Channels["Briefings"].Discord);
        Assert.Empty(settings.Warnings);
        Assert.Equal(ConsoleMode.Standby, settings.ConsoleMode);
    }

    [Fact]
    public void RelativePaths_ResolveAgainstTheConfigFoldersParent()
    {
        var config = LoadedConfig.Load(_bot.ConfigPath);

        Assert.Equal(_bot.Root, config.BaseDirectory);
        Assert.Equal(Path.Combine(_bot.Root, "data", "handsbot.db"), config.Resolve("data/handsbot.db"));
        Assert.Equal("/abs/x.db", config.Resolve("/abs/x.db"));
    }

    [Fact]
    public void EnvironmentVariables_OverrideTheFile()
    {
        var settings = Load("[llm]\ntools_dir = \"from-file\"\n", ("HANDSBOT_LLM__TOOLS_DIR", "from-env"), ("HANDSBOT_ACCESS__ADMINS__0", "telegram:7"));

        Assert.Equal("from-env", settings.Llm.ToolsDir);
        Assert.Contains("telegram:7", settings.Access.Admins);
    }

    [Fact]
    public void UnknownSectionsAndKeys_Warn_WithLineAndTheClosestKnownName()
    {
        var settings = Load("[telegam]\ntoken = \"\"\n[scheduler]\nmax_concurent_runs = 8\n[telegram]\ntokn = \"x\"\n");

        var warnings = settings.Warnings.Select(w => w.ToString()).ToList();
        Assert.Contains("config/handsbot.toml(1,2): warning: [telegam]: unknown section; did you mean [telegram]?", warnings);
        Assert.Contains("config/handsbot.toml(4,1): warning: [scheduler] max_concurent_runs: unknown key; did you mean max_concurrent_runs?", warnings);
        Assert.Contains("config/handsbot.toml(6,1): warning: [telegram] tokn: unknown key; did you mean token?", warnings);
        Assert.Equal(3, warnings.Count);
    }

    [Fact]
    public void ChannelsAndLogging_AreOpenEnded_ButKeysInsideARouteAreChecked()
    {
        var settings = Load("[channels.anything-at-all]\ntelegram = \"-100\"\n[channels.ops]\ndiscord = \"1\"\ntelgram = \"-1\"\n[logging.loglevel]\ndefault = \"Debug\"\n");

        var warning = Assert.Single(settings.Warnings).ToString();
        Assert.Equal("config/handsbot.toml(5,1): warning: [channels.ops] telgram: unknown key; did you mean telegram?", warning);
        Assert.Equal(2, settings.Channels.Count);
    }

    [Theory]
    [InlineData("[scheduler]\nmax_concurrent_runs = \"many\"\n", "config/handsbot.toml(2,1): [scheduler] max_concurrent_runs: expected a whole number, got \"many\"")]
    [InlineData("[scheduler]\nmax_concurrent_runs = 2.5\n", "config/handsbot.toml(2,1): [scheduler] max_concurrent_runs: expected a whole number, got 2.5")]
    [InlineData("[access]\nadmins = \"telegram:42\"\n", "config/handsbot.toml(2,1): [access] admins: expected a list of strings like [\"a\", \"b\"], got \"telegram:42\"")]
    [InlineData("[output]\nreply_to_invoker = \"yes\"\n", "config/handsbot.toml(2,1): [output] reply_to_invoker: expected true or false, got \"yes\"")]
    [InlineData("[telegram]\ntoken = [\"a\"]\n", "config/handsbot.toml(2,1): [telegram] token: expected a string, got a list")]
    [InlineData("[access]\nadmins = [[\"a\"]]\n", "[access] admins: expected a list of strings, got an item that is a list")]
    [InlineData("telegram = \"x\"\n", "config/handsbot.toml(1,1): [telegram]: expected a table")]
    [InlineData("[channels]\nnews = \"-100\"\n", "config/handsbot.toml(2,1): [channels.news]: expected a table with telegram = \"…\" and/or discord = \"…\", got \"-100\"")]
    public void WrongKinds_AreErrors_NamingFileLineKeyKindAndValue_NeverADotNetType(string toml, string expected)
    {
        var message = Problems(toml);

        Assert.Contains(expected, message, StringComparison.Ordinal);
        Assert.DoesNotContain("System.", message, StringComparison.Ordinal);
    }

    [Fact]
    public void AWrongValueFromTheEnvironment_NamesTheVariable_NotTheFile()
    {
        var message = Problems("[telegram]\nmode = \"polling\"\n", ("HANDSBOT_TELEGRAM__MODE", "poll"));

        Assert.Equal("HANDSBOT_TELEGRAM__MODE: expected \"polling\" or \"webhook\", got \"poll\"", message);
    }

    [Fact]
    public void AWrongKindFromTheEnvironment_NamesTheVariable()
    {
        var number = Problems("", ("HANDSBOT_SCHEDULER__MAX_CONCURRENT_RUNS", "many"));
        var list = Problems("", ("HANDSBOT_ACCESS__ADMINS", "telegram:42"));

        Assert.Equal("HANDSBOT_SCHEDULER__MAX_CONCURRENT_RUNS: expected a whole number, got \"many\"", number);
        Assert.StartsWith("HANDSBOT_ACCESS__ADMINS: expected a list of strings: set HANDSBOT_ACCESS__ADMINS__0, HANDSBOT_ACCESS__ADMINS__1", list, StringComparison.Ordinal);
    }

    [Fact]
    public void AnUnknownVariable_Warns_WithTheVariableItMeant()
    {
        var settings = Load("", ("HANDSBOT_TELEGRAM__TOKN", "x"), ("PATH", "/bin"));

        var warning = Assert.Single(settings.Warnings).ToString();
        Assert.Equal("HANDSBOT_TELEGRAM__TOKN: warning: [telegram] tokn: unknown key; did you mean HANDSBOT_TELEGRAM__TOKEN?", warning);
    }

    [Fact]
    public void ATomlSyntaxError_ShowsItsPositionOnce_AndTheRealCauseFirst()
    {
        File.WriteAllText(_bot.ConfigPath, "[hands]\ndir = \"hands\n[storage]\npath = \"x\"\n");

        var message = Assert.Throws<ConfigException>(() => LoadedConfig.Load(_bot.ConfigPath, [])).Message;

        var first = message.Split(Environment.NewLine)[0];
        Assert.Equal("config/handsbot.toml(2,13): TOML syntax error: Invalid newline in a string", first);
        Assert.DoesNotContain(": (", message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("[telegram]\ntoken = \"1:a\"\nmode = \"webhook\"\n", "config/handsbot.toml: [telegram] webhook_url: webhook mode needs")]
    [InlineData("[telegram]\nmode = \"poll\"\n", "config/handsbot.toml(2,1): [telegram] mode: expected \"polling\" or \"webhook\", got \"poll\"")]
    [InlineData("[discord]\ntoken = \"x\"\n", "config/handsbot.toml: [discord] application_id: required with a Discord token")]
    [InlineData("[discord]\napplication_id = \"abc\"\n", "config/handsbot.toml(2,1): [discord] application_id: expected the Application ID from the Developer Portal (digits), got \"abc\"")]
    [InlineData("[discord]\npublic_key = \"zz\"\n", "[discord] public_key")]
    [InlineData("[channels.news]\ntelegram = \"general\"\n", "config/handsbot.toml(2,1): [channels.news] telegram: expected a chat id")]
    [InlineData("[channels.news]\n", "config/handsbot.toml(1,2): [channels.news]: set telegram")]
    [InlineData("[console]\nenabled = \"sometimes\"\n", "[console] enabled: expected \"auto\", true or false")]
    [InlineData("[access]\nadmins = [\"telegram:1\", \"42\"]\n", "config/handsbot.toml(2,25): [access] admins: \"42\" is not an identity")]
    [InlineData("[llm]\nendpoint = \"localhost\"\n", "[llm] endpoint: not an absolute URL")]
    [InlineData("[scheduler]\nmax_concurrent_runs = 0\n", "[scheduler] max_concurrent_runs: must be at least 1, got 0")]
    public void Validation_ExplainsEachProblem_WhereItWasSet(string toml, string expected)
    {
        Assert.Contains(expected, Problems(toml), StringComparison.Ordinal);
    }

    [Fact]
    public void Validation_ReportsEveryProblemAtOnce()
    {
        var lines = Problems("[telegram]\nmode = \"poll\"\n[scheduler]\nmax_concurrent_runs = 0\n[llm]\nendpoint = \"x\"\n").Split(Environment.NewLine);

        Assert.Equal(3, lines.Length);
    }

    [Theory]
    [InlineData("", "On")]
    [InlineData("[telegram]\ntoken = \"1:a\"\n", "Standby")]
    [InlineData("[telegram]\ntoken = \"1:a\"\n[console]\nenabled = true\n", "On")]
    [InlineData("[console]\nenabled = false\n", "Off")]
    public void ConsoleMode_FollowsEnabledAndTheTokens(string toml, string expected)
    {
        Assert.Equal(Enum.Parse<ConsoleMode>(expected), Load(toml).ConsoleMode);
    }
}
