using HandsBot.Core.Running;

namespace HandsBot.Core.Tests.Running;

public sealed class ChildEnvironmentTests
{
    private static readonly Dictionary<string, string> BotEnvironment = new()
    {
        ["PATH"] = "/opt/bot/bin:/usr/bin",
        ["HOME"] = "/home/bot",
        ["LANG"] = "en_US.UTF-8",
        ["TMPDIR"] = "/var/tmp",
        ["TELEGRAM_BOT_TOKEN"] = "123:secret",
        ["OPENAI_API_KEY"] = "sk-secret",
    };

    private static string? Read(string name) => BotEnvironment.GetValueOrDefault(name);

    [Fact]
    public void Build_InheritsOnlyBaseVariables_WhenBotHasSecrets()
    {
        var env = ChildEnvironment.Build(new Dictionary<string, string>(), Read);

        Assert.Equal(
            new Dictionary<string, string>
            {
                ["PATH"] = "/opt/bot/bin:/usr/bin",
                ["HOME"] = "/home/bot",
                ["LANG"] = "en_US.UTF-8",
                ["TMPDIR"] = "/var/tmp",
            },
            env);
    }

    [Fact]
    public void Build_PassesTz_OnlyWhenSet()
    {
        var env = ChildEnvironment.Build(new Dictionary<string, string>(), name => name == "TZ" ? "Europe/Berlin" : Read(name));

        Assert.Equal("Europe/Berlin", env["TZ"]);
    }

    [Fact]
    public void Build_UsesDefaults_WhenBotEnvironmentIsEmpty()
    {
        var env = ChildEnvironment.Build(new Dictionary<string, string>(), _ => null);

        Assert.Contains("/usr/bin", env["PATH"], StringComparison.Ordinal);
        Assert.Equal("C.UTF-8", env["LANG"]);
        Assert.False(string.IsNullOrEmpty(env["HOME"]));
        Assert.False(string.IsNullOrEmpty(env["TMPDIR"]));
        Assert.False(env.ContainsKey("TZ"));
    }

    [Fact]
    public void Build_LetsSpecOverrideBase()
    {
        var env = ChildEnvironment.Build(new Dictionary<string, string> { ["PATH"] = "/hand/bin", ["HAND_NAME"] = "news" }, Read);

        Assert.Equal("/hand/bin", env["PATH"]);
        Assert.Equal("news", env["HAND_NAME"]);
    }

    [Theory]
    [InlineData("")]
    [InlineData("A=B")]
    [InlineData("A\0B")]
    public void Build_Throws_WhenNameIsInvalid(string name)
    {
        var error = Assert.Throws<ArgumentException>(() => ChildEnvironment.Build(new Dictionary<string, string> { [name] = "x" }, Read));

        Assert.Contains("is invalid", error.Message, StringComparison.Ordinal);
    }
}
