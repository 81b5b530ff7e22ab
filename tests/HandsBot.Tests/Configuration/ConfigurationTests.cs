using HandsBot.Configuration;

namespace HandsBot.Tests.Configuration;

public sealed class ConfigurationTests : IDisposable
{
    private readonly TempBot _bot = new();

    public void Dispose() => _bot.Dispose();

    [Fact]
    public void Toml_IsReadIntoTypedOptions_WithSnakeCaseKeysAndNamedChannels()
    {
        File.WriteAllText(_bot.ConfigPath, """
            [hands]
            dir = "my-hands"
            [telegram]
            token = "123:abc"
            default_chat = "-100123:7"
            [access]
            admins = ["telegram:42", "discord-role:9"]
            [channels.briefings]
            telegram = "-1001234567890"
            discord = "123456789012345678"
            """);

        var config = LoadedConfig.Load(_bot.ConfigPath);
        var settings = HandsBotSettings.Bind(config.Configuration);

        Assert.Equal("my-hands", settings.Hands.Dir);
        Assert.Equal("123:abc", settings.Telegram.Token);
        Assert.Equal("-100123:7", settings.Telegram.DefaultChat);
        Assert.Equal(["telegram:42", "discord-role:9"], settings.Access.Admins);
        Assert.Equal("-1001234567890", settings.Channels["briefings"].Telegram);
        Assert.Equal("123456789012345678", settings.Channels["Briefings"].Discord);
        Assert.Empty(settings.Validate());
        Assert.False(settings.ConsoleEnabled);
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
        File.WriteAllText(_bot.ConfigPath, "[llm]\ntools_dir = \"from-file\"\n");
        Environment.SetEnvironmentVariable("HANDSBOT_LLM__TOOLS_DIR", "from-env");
        try
        {
            var settings = HandsBotSettings.Bind(LoadedConfig.Load(_bot.ConfigPath).Configuration);
            Assert.Equal("from-env", settings.Llm.ToolsDir);
        }
        finally
        {
            Environment.SetEnvironmentVariable("HANDSBOT_LLM__TOOLS_DIR", null);
        }
    }

    [Fact]
    public void WrongValueType_IsAConfigError_NamingTheSection()
    {
        File.WriteAllText(_bot.ConfigPath, "[scheduler]\nmax_concurrent_runs = \"many\"\n");

        var error = Assert.Throws<ConfigException>(() => HandsBotSettings.Bind(LoadedConfig.Load(_bot.ConfigPath).Configuration));

        Assert.Contains("[scheduler]", error.Message, StringComparison.Ordinal);
        Assert.Contains("many", error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("[telegram]\ntoken = \"1:a\"\nmode = \"webhook\"\n", "[telegram] webhook_url")]
    [InlineData("[discord]\ntoken = \"x\"\n", "[discord] application_id")]
    [InlineData("[discord]\npublic_key = \"zz\"\n", "[discord] public_key")]
    [InlineData("[channels.news]\ntelegram = \"general\"\n", "[channels.news] telegram")]
    [InlineData("[console]\nenabled = \"sometimes\"\n", "[console] enabled")]
    public void Validate_ExplainsEachProblem(string toml, string expected)
    {
        File.WriteAllText(_bot.ConfigPath, toml);

        var problems = HandsBotSettings.Bind(LoadedConfig.Load(_bot.ConfigPath).Configuration).Validate();

        Assert.Contains(problems, p => p.StartsWith(expected, StringComparison.Ordinal));
    }

    [Fact]
    public void NoPlatformToken_TurnsTheConsoleChannelOn()
    {
        var settings = HandsBotSettings.Bind(LoadedConfig.Load(_bot.ConfigPath).Configuration);

        Assert.True(settings.ConsoleEnabled);
    }
}
