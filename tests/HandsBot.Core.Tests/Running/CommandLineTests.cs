using HandsBot.Core.Model;
using HandsBot.Core.Running;

namespace HandsBot.Core.Tests.Running;

public sealed class CommandLineTests
{
    private const string Hand = "/srv/hands/news";
    private static readonly Dictionary<string, string> Env = new() { ["HAND_NAME"] = "news" };

    [Fact]
    public void ForRunSpec_RunsStringThroughShell()
    {
        var spec = CommandLine.ForRunSpec(new RunSpec { CommandLine = "./fetch.sh | head", Timeout = TimeSpan.FromSeconds(30) }, Hand, Env);

        Assert.Equal("/bin/sh", spec.FileName);
        Assert.Equal(["-c", "./fetch.sh | head"], spec.Arguments);
        Assert.Equal(Hand, spec.WorkingDirectory);
        Assert.Equal(TimeSpan.FromSeconds(30), spec.Timeout);
        Assert.Same(Env, spec.Environment);
    }

    [Theory]
    [InlineData("./run.sh", "/srv/hands/news/run.sh")]
    [InlineData("bin/tool", "/srv/hands/news/bin/tool")]
    [InlineData("../shared/tool", "/srv/hands/shared/tool")]
    [InlineData("/usr/bin/python3", "/usr/bin/python3")]
    [InlineData("python3", "python3")]
    public void ForRunSpec_ResolvesArgvProgram(string program, string expected)
    {
        var spec = CommandLine.ForRunSpec(new RunSpec { Argv = [program, "--flag", "a b"] }, Hand, Env);

        Assert.Equal(expected, spec.FileName);
        Assert.Equal(["--flag", "a b"], spec.Arguments);
        Assert.Equal(TimeSpan.FromMinutes(10), spec.Timeout);
    }

    public static TheoryData<RunSpec> Unrunnable => new()
    {
        new RunSpec(),
        new RunSpec { CommandLine = "  " },
        new RunSpec { Argv = [] },
        new RunSpec { Argv = [""] },
    };

    [Theory]
    [MemberData(nameof(Unrunnable))]
    public void ForRunSpec_Throws_WhenNothingToRun(RunSpec run)
    {
        var error = Assert.Throws<ArgumentException>(() => CommandLine.ForRunSpec(run, Hand, Env));

        Assert.Contains("neither a command line nor an argv", error.Message, StringComparison.Ordinal);
    }
}
