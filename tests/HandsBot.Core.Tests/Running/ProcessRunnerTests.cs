using HandsBot.Core.Running;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Time.Testing;

namespace HandsBot.Core.Tests.Running;

public sealed class ProcessRunnerTests : IDisposable
{
    private static readonly TimeSpan Long = TimeSpan.FromMinutes(2);
    private readonly TempFolder _dir = new();

    public void Dispose() => _dir.Dispose();

    private static ProcessRunner Runner(TimeProvider? time = null) =>
        new(time ?? TimeProvider.System, NullLogger<ProcessRunner>.Instance);

    private ProcessSpec Shell(string script, TimeSpan? timeout = null) => new()
    {
        FileName = "/bin/sh",
        Arguments = ["-c", script],
        WorkingDirectory = _dir.Path,
        Timeout = timeout ?? Long,
    };

    [Theory]
    [InlineData("printf hello", 0, "hello", "")]
    [InlineData("printf out; printf err >&2; exit 3", 3, "out", "err")]
    [InlineData("printf 'h\\303\\251llo \\342\\202\\254'", 0, "héllo €", "")]
    [InlineData("exit 255", 255, "", "")]
    public async Task RunAsync_ReportsExitCodeAndOutput_WhenChildExits(string script, int exitCode, string stdout, string stderr)
    {
        var result = await Runner().RunAsync(Shell(script), CancellationToken.None);

        Assert.Equal(exitCode, result.ExitCode);
        Assert.Equal(stdout, result.Stdout);
        Assert.Equal(stderr, result.StderrTail);
        Assert.False(result.TimedOut);
        Assert.False(result.Cancelled);
        Assert.Null(result.StartError);
        Assert.Equal(exitCode == 0, result.Succeeded);
    }

    [Fact]
    public async Task RunAsync_ReadsBothStreamsConcurrently_WhenBothAreLarge()
    {
        // stderr is written first: a runner reading stdout to its end first would deadlock on the full stderr pipe.
        var spec = Shell("head -c 1048576 /dev/zero | tr '\\0' e >&2; head -c 5242880 /dev/zero | tr '\\0' o; printf END >&2")
            with { StderrTailBytes = 2 * 1024 * 1024 };

        var result = await Runner().RunAsync(spec, CancellationToken.None);

        Assert.Equal(0, result.ExitCode);
        Assert.Equal(5 * 1024 * 1024, result.Stdout.Length);
        Assert.True(result.Stdout.All(c => c == 'o'));
        Assert.Equal((1024 * 1024) + 3, result.StderrTail.Length);
        Assert.EndsWith("eeeEND", result.StderrTail, StringComparison.Ordinal);
        Assert.False(result.StdoutTruncated);
    }

    [Fact]
    public async Task RunAsync_KeepsOnlyStderrTail_WhenStderrIsLongerThanTail()
    {
        var spec = Shell("head -c 100000 /dev/zero | tr '\\0' a >&2; printf END >&2") with { StderrTailBytes = 1000 };

        var result = await Runner().RunAsync(spec, CancellationToken.None);

        Assert.Equal(1000, result.StderrTail.Length);
        Assert.Equal(new string('a', 997) + "END", result.StderrTail);
    }

    [Fact]
    public async Task RunAsync_CutsStdoutAndStillDrainsIt_WhenOverLimit()
    {
        // The child writes far more than the pipe holds: it only exits 0 if the rest is read and discarded.
        var spec = Shell("head -c 1000000 /dev/zero | tr '\\0' x; echo done >&2") with { StdoutLimitBytes = 100 };

        var result = await Runner().RunAsync(spec, CancellationToken.None);

        Assert.Equal(0, result.ExitCode);
        Assert.Equal(new string('x', 100), result.Stdout);
        Assert.True(result.StdoutTruncated);
        Assert.Equal("done\n", result.StderrTail);
    }

    [Fact]
    public async Task RunAsync_DoesNotSplitCharacter_WhenStdoutLimitFallsInsideIt()
    {
        // "ab€": the limit of 4 bytes ends inside the 3-byte euro sign.
        var spec = Shell("printf 'ab\\342\\202\\254'") with { StdoutLimitBytes = 4 };

        var result = await Runner().RunAsync(spec, CancellationToken.None);

        Assert.Equal("ab", result.Stdout);
        Assert.True(result.StdoutTruncated);
    }

    [Theory]
    [InlineData("héllo\nwörld\n")]
    [InlineData("")]
    public async Task RunAsync_WritesStandardInputThenClosesIt(string input)
    {
        var result = await Runner().RunAsync(Shell("cat") with { StandardInput = input }, CancellationToken.None);

        Assert.Equal(0, result.ExitCode);
        Assert.Equal(input, result.Stdout);
    }

    [Fact]
    public async Task RunAsync_GivesEmptyStdin_WhenInputIsNull()
    {
        // Would hang until the timeout if the child inherited the test host's stdin.
        var result = await Runner().RunAsync(Shell("cat; echo eof"), CancellationToken.None);

        Assert.Equal("eof\n", result.Stdout);
    }

    [Fact]
    public async Task RunAsync_SucceedsAnyway_WhenChildIgnoresLargeInput()
    {
        var spec = Shell("exit 0") with { StandardInput = new string('i', 1_000_000) };

        var result = await Runner().RunAsync(spec, CancellationToken.None);

        Assert.Equal(0, result.ExitCode);
    }

    [Fact]
    public async Task RunAsync_PassesOnlyBaseAndSpecVariables_NotTheBotsEnvironment()
    {
        Environment.SetEnvironmentVariable("HANDSBOT_TEST_BOT_SECRET", "s3cret-token");
        var spec = Shell("env") with
        {
            Environment = new Dictionary<string, string> { ["HAND_NAME"] = "news", ["LANG"] = "de_DE.UTF-8" },
        };

        var result = await Runner().RunAsync(spec, CancellationToken.None);

        var names = result.Stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries)
            .Select(line => line[..line.IndexOf('=', StringComparison.Ordinal)])
            .ToHashSet();
        Assert.DoesNotContain("s3cret-token", result.Stdout, StringComparison.Ordinal);
        Assert.Contains("HAND_NAME=news\n", result.Stdout, StringComparison.Ordinal);
        Assert.Contains("LANG=de_DE.UTF-8\n", result.Stdout, StringComparison.Ordinal);
        // The shell itself adds PWD (and may add SHLVL, _); nothing else may appear.
        Assert.Empty(names.Except(["PATH", "HOME", "LANG", "TZ", "TMPDIR", "HAND_NAME", "PWD", "SHLVL", "_"]));
        Assert.Contains("PATH", names);
        Assert.Contains("HOME", names);
        Assert.Contains("TMPDIR", names);
    }

    [Fact]
    public async Task RunAsync_RunsInWorkingDirectory_AndResolvesRelativeProgramThere()
    {
        _dir.Script("run.sh", "pwd; echo \"$1\"");

        var result = await Runner().RunAsync(
            new ProcessSpec { FileName = "./run.sh", Arguments = ["arg with space"], WorkingDirectory = _dir.Path, Timeout = Long },
            CancellationToken.None);

        Assert.Equal(0, result.ExitCode);
        Assert.Equal($"{_dir.Path}\narg with space\n", result.Stdout);
    }

    [Fact]
    public async Task RunAsync_FindsBareNameOnChildPath()
    {
        var bin = Directory.CreateDirectory(_dir.File("bin")).FullName;
        _dir.Script("bin/hello-tool", "echo from-path");
        var spec = new ProcessSpec
        {
            FileName = "hello-tool",
            WorkingDirectory = _dir.Path,
            Environment = new Dictionary<string, string> { ["PATH"] = $"{bin}:/usr/bin:/bin" },
            Timeout = Long,
        };

        var result = await Runner().RunAsync(spec, CancellationToken.None);

        Assert.Equal("from-path\n", result.Stdout);
    }

    public static TheoryData<string, string, string> StartFailures => new()
    {
        { "./missing.sh", "", "does not exist" },
        { "./not-executable.sh", "", "is not executable" },
        { "no-such-program-handsbot", "", "was not found on PATH" },
        { "./bin", "", "is a directory" },
        { "/bin/sh", "gone", "working directory" },
    };

    [Theory]
    [MemberData(nameof(StartFailures))]
    public async Task RunAsync_ReportsClearStartError_WhenProgramCannotStart(string fileName, string subFolder, string expected)
    {
        File.WriteAllText(_dir.File("not-executable.sh"), "#!/bin/sh\necho hi\n");
        Directory.CreateDirectory(_dir.File("bin"));
        var time = new FakeTimeProvider(new DateTimeOffset(2026, 11, 23, 8, 0, 0, TimeSpan.Zero));
        var spec = new ProcessSpec { FileName = fileName, WorkingDirectory = Path.Combine(_dir.Path, subFolder), Timeout = Long };

        var result = await Runner(time).RunAsync(spec, CancellationToken.None);

        Assert.NotNull(result.StartError);
        Assert.Contains(expected, result.StartError, StringComparison.Ordinal);
        Assert.Null(result.ExitCode);
        Assert.False(result.Succeeded);
        Assert.Equal(time.GetUtcNow(), result.StartedAt);
    }

    [Fact]
    public async Task RunAsync_TakesTimesFromTimeProvider()
    {
        var start = new DateTimeOffset(2026, 11, 23, 8, 0, 0, TimeSpan.Zero);
        var time = new FakeTimeProvider(start);

        var result = await Runner(time).RunAsync(Shell("true"), CancellationToken.None);

        Assert.Equal(start, result.StartedAt);
        Assert.Equal(start, result.CompletedAt);
    }

    [Fact]
    public async Task RunAsync_KillsWholeTreeIncludingOrphans_WhenRealTimeoutExpires()
    {
        // A grandchild whose parent subshell has exited (an orphan, no longer in the process tree) and one
        // still under the shell: both must die with the timeout.
        var script = "(sleep 1000 & echo $! > orphan.pid); sleep 1000 & echo $! > child.pid; echo $$ > shell.pid; wait";

        var result = await Runner().RunAsync(Shell(script, TimeSpan.FromSeconds(1)), CancellationToken.None);

        Assert.True(result.TimedOut);
        Assert.False(result.Cancelled);
        Assert.Null(result.ExitCode);
        foreach (var file in new[] { "orphan.pid", "child.pid", "shell.pid" })
        {
            var pid = int.Parse(await Processes.WaitForFileAsync(_dir.File(file)), System.Globalization.CultureInfo.InvariantCulture);
            Assert.True(await Processes.WaitUntilDeadAsync(pid), $"{file}: pid {pid} survived the timeout");
        }
    }

    [Fact]
    public async Task RunAsync_KillsWholeTree_WhenTimeoutExpiresOnTimeProvider()
    {
        var time = new FakeTimeProvider(new DateTimeOffset(2026, 11, 23, 8, 0, 0, TimeSpan.Zero));
        var run = Runner(time).RunAsync(
            Shell("(sleep 1000 & echo $! > orphan.pid); printf partial; sleep 1000", TimeSpan.FromMinutes(5)),
            CancellationToken.None);
        var orphan = int.Parse(await Processes.WaitForFileAsync(_dir.File("orphan.pid")), System.Globalization.CultureInfo.InvariantCulture);
        Assert.True(Processes.IsAlive(orphan));
        Assert.False(run.IsCompleted);

        time.Advance(TimeSpan.FromMinutes(5));
        var result = await run.WaitAsync(Long);

        Assert.True(result.TimedOut);
        Assert.Null(result.ExitCode);
        Assert.True(await Processes.WaitUntilDeadAsync(orphan), $"orphan {orphan} survived the timeout");
    }

    [Fact]
    public async Task RunAsync_KillsWholeTreeAndReportsCancelled_WhenTokenFires()
    {
        using var cts = new CancellationTokenSource();
        var run = Runner().RunAsync(Shell("sh -c 'sleep 1000 & sleep 1000' & echo $! > sub.pid; (sleep 1000 & echo $! > orphan.pid); wait"), cts.Token);
        var sub = int.Parse(await Processes.WaitForFileAsync(_dir.File("sub.pid")), System.Globalization.CultureInfo.InvariantCulture);
        var orphan = int.Parse(await Processes.WaitForFileAsync(_dir.File("orphan.pid")), System.Globalization.CultureInfo.InvariantCulture);
        Assert.True(Processes.IsAlive(orphan));

        await cts.CancelAsync();
        var result = await run.WaitAsync(Long);

        Assert.True(result.Cancelled);
        Assert.False(result.TimedOut);
        Assert.Null(result.ExitCode);
        Assert.True(await Processes.WaitUntilDeadAsync(sub), $"pid {sub} survived cancellation");
        Assert.True(await Processes.WaitUntilDeadAsync(orphan), $"pid {orphan} survived cancellation");
    }

    [Fact]
    public async Task RunAsync_KillsBackgroundLeftovers_WhenChildExitsNormally()
    {
        // The leftover keeps stdout open: without the group kill the run would wait for it.
        var result = await Runner().RunAsync(Shell("sleep 1000 & echo $! > bg.pid; echo started", TimeSpan.FromMinutes(5)), CancellationToken.None);

        Assert.Equal(0, result.ExitCode);
        Assert.Equal("started\n", result.Stdout);
        var pid = int.Parse(await Processes.WaitForFileAsync(_dir.File("bg.pid")), System.Globalization.CultureInfo.InvariantCulture);
        Assert.True(await Processes.WaitUntilDeadAsync(pid), $"background pid {pid} outlived the run");
    }

    [Fact]
    public async Task RunAsync_ReportsCancelledWithoutStarting_WhenTokenAlreadyCancelled()
    {
        var result = await Runner().RunAsync(Shell("echo ran > ran.txt"), new CancellationToken(canceled: true));

        Assert.True(result.Cancelled);
        Assert.False(File.Exists(_dir.File("ran.txt")));
    }

    [Fact]
    public async Task RunAsync_Throws_WhenTimeoutIsNotPositive()
    {
        await Assert.ThrowsAsync<ArgumentOutOfRangeException>(
            () => Runner().RunAsync(Shell("true", TimeSpan.Zero), CancellationToken.None));
    }
}
