using System.Diagnostics;
using Microsoft.Data.Sqlite;
using Xunit.Abstractions;

namespace HandsBot.Tests.Cli;

/// <summary>
/// Every start-up and CLI failure a user can cause, run through the real executable: one clear message
/// naming the path or key and what to do, exit code 2, and never a stack trace.
/// </summary>
/// <remarks>
/// Tests run as root here, and chmod does not stop root. What does: <c>chattr +i</c> (an immutable file or
/// folder refuses writes even to root, on ext4/xfs), or a file where a folder is expected. Where chattr is
/// not available (no CAP_LINUX_IMMUTABLE, tmpfs), a non-root run falls back to chmod; a root run without
/// chattr cannot make a read-only folder and says so in the test output instead of failing.
/// </remarks>
public sealed class CliFailureTests(ITestOutputHelper log) : IDisposable
{
    private readonly TempBot _bot = new();
    private readonly List<string> _immutable = [];

    public void Dispose()
    {
        foreach (var path in _immutable) Chattr("-i", path);
        _bot.Dispose();
    }

    private string Data => Path.Combine(_bot.Root, "data");

    private string Database => Path.Combine(Data, "handsbot.db");

    private Task<CliProcess> Run(params string[] args) => CliProcess.RunAsync([.. args, "--config", _bot.ConfigPath]);

    private static void AssertOneClearFailure(CliProcess run, params string[] expected)
    {
        Assert.True(run.ExitCode == 2, $"exit code {run.ExitCode}\n--- stdout ---\n{run.Stdout}\n--- stderr ---\n{run.Stderr}");
        foreach (var text in expected) Assert.Contains(text, run.Stderr, StringComparison.Ordinal);
        Assert.DoesNotContain(run.AllOutput.Split('\n'), line => line.Contains("   at ", StringComparison.Ordinal));
        Assert.DoesNotContain("Unhandled exception", run.AllOutput, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Serve_OnAPortAnotherProgramHolds_SaysSoAndWhatToChange()
    {
        using var other = new System.Net.Sockets.TcpListener(System.Net.IPAddress.Loopback, 0);
        other.Start();
        var listen = $"http://127.0.0.1:{((System.Net.IPEndPoint)other.LocalEndpoint).Port}";
        File.WriteAllText(_bot.ConfigPath, $"[console]\nenabled = false\n[http]\nlisten = \"{listen}\"\n");

        var run = await Run("serve");

        AssertOneClearFailure(run, $"Cannot listen on {listen}: the port is already in use", "[http] listen");
    }

    [Fact]
    public async Task DataFolderNotWritable_ExitsTwo_NamingTheDatabaseAndWhatToDo()
    {
        Directory.CreateDirectory(Data);
        if (!MakeReadOnly(Data)) return;

        var serve = await Run("serve");
        var list = await Run("list");

        AssertOneClearFailure(serve, Database, "not writable");
        AssertOneClearFailure(list, Database, "not writable");
    }

    [Fact]
    public async Task DataFolderCannotBeCreated_ExitsTwo()
    {
        File.WriteAllText(_bot.ConfigPath, "[storage]\npath = \"state/db/handsbot.db\"\n");
        Directory.CreateDirectory(Path.Combine(_bot.Root, "state"));
        if (!MakeReadOnly(Path.Combine(_bot.Root, "state"))) return;

        var run = await Run("list");

        AssertOneClearFailure(run, Path.Combine(_bot.Root, "state", "db"), "permission denied");
    }

    [Fact]
    public async Task AFileWhereTheDataFolderShouldBe_ExitsTwo()
    {
        File.WriteAllText(Data, "not a folder");

        var run = await Run("run", "anything");

        AssertOneClearFailure(run, Data, "is a file in the way?");
    }

    [Fact]
    public async Task ReadOnlyDatabaseFile_ExitsTwo()
    {
        var first = await Run("list");
        Assert.Equal(0, first.ExitCode);
        if (!MakeReadOnly(Database)) return;

        var serve = await Run("serve");

        AssertOneClearFailure(serve, Database, "read-only");
    }

    [Fact]
    public async Task ADatabaseLockedByAnotherProcess_ExitsTwo_AfterTheBusyTimeout()
    {
        Directory.CreateDirectory(Data);
        await using var holder = new SqliteConnection($"Data Source={Database};Pooling=False");
        await holder.OpenAsync();
        await using (var command = holder.CreateCommand())
        {
            // A rollback-journal database with an exclusive transaction open: nobody else may even read.
            command.CommandText = "CREATE TABLE held (x); BEGIN EXCLUSIVE; INSERT INTO held VALUES (1);";
            await command.ExecuteNonQueryAsync();
        }

        var run = await Run("list");

        AssertOneClearFailure(run, Database, "locked by another process");
    }

    [Fact]
    public async Task MissingConfigFile_ExitsTwo_NamingThePath()
    {
        var missing = Path.Combine(_bot.Root, "nope", "handsbot.toml");

        var run = await CliProcess.RunAsync(["serve", "--config", missing]);

        AssertOneClearFailure(run, missing, "config file not found");
    }

    [Fact]
    public async Task MissingHandsFolder_ExitsTwo_NamingTheKey()
    {
        File.WriteAllText(_bot.ConfigPath, "[hands]\ndir = \"my-hands\"\n");

        var run = await Run("serve");

        AssertOneClearFailure(run, "config/handsbot.toml(2,1): [hands] dir", Path.Combine(_bot.Root, "my-hands"), "does not exist");
    }

    [Fact]
    public async Task StartedFromTheWrongFolder_ExitsTwo_SayingWhereItLooked()
    {
        var elsewhere = Path.Combine(_bot.Root, "src", "HandsBot");
        Directory.CreateDirectory(elsewhere);

        var run = await CliProcess.RunAsync(["serve"], workingDirectory: elsewhere);

        AssertOneClearFailure(run, Path.Combine(elsewhere, "config", "handsbot.toml"), Path.Combine(elsewhere, "hands"), "Run it from the folder that holds config/ and hands/");
        Assert.False(Directory.Exists(Path.Combine(elsewhere, "data")), "no stray database is created");
    }

    [Theory]
    [InlineData("invite")]
    [InlineData("validate")]
    public async Task ABadApplicationIdFromTheEnvironment_ExitsTwo_NamingTheVariable(string command)
    {
        var run = await CliProcess.RunAsync([command, "--config", _bot.ConfigPath], new Dictionary<string, string> { ["HANDSBOT_DISCORD__APPLICATION_ID"] = "abc" });

        AssertOneClearFailure(run, "HANDSBOT_DISCORD__APPLICATION_ID: expected the Application ID from the Developer Portal (digits), got \"abc\"");
        Assert.DoesNotContain("handsbot.toml", run.Stderr, StringComparison.Ordinal);
    }

    [Fact]
    public async Task BadValuesAndAWrongKind_ExitTwo_WithEveryProblem()
    {
        File.WriteAllText(_bot.ConfigPath, "[access]\nadmins = \"telegram:42\"\n[scheduler]\nmax_concurrent_runs = \"many\"\n");

        var run = await Run("serve");

        AssertOneClearFailure(run,
            "config/handsbot.toml(2,1): [access] admins: expected a list of strings",
            "config/handsbot.toml(4,1): [scheduler] max_concurrent_runs: expected a whole number, got \"many\"");
    }

    [Fact]
    public async Task ATomlSyntaxError_ExitsTwo_WithItsPositionOnce()
    {
        File.WriteAllText(_bot.ConfigPath, "[hands]\ndir = \"hands\n[storage]\npath = \"x\"\n");

        var run = await Run("validate");

        AssertOneClearFailure(run, "config/handsbot.toml(2,13): TOML syntax error: Invalid newline in a string");
        Assert.StartsWith("config/handsbot.toml(2,13)", run.Stderr, StringComparison.Ordinal);
    }

    /// <summary>Makes a file or folder refuse writes, even to root; false (with a note) where this machine cannot.</summary>
    private bool MakeReadOnly(string path)
    {
        if (Chattr("+i", path))
        {
            _immutable.Add(path);
            if (RefusesWrites(path)) return true;
        }
        if (!IsRoot() && !OperatingSystem.IsWindows())
        {
            File.SetUnixFileMode(path, Directory.Exists(path) ? UnixFileMode.UserRead | UnixFileMode.UserExecute : UnixFileMode.UserRead);
            if (RefusesWrites(path)) return true;
        }
        log.WriteLine($"Cannot make {path} read-only here (no chattr +i, and running as root): case not checked.");
        return false;
    }

    private static bool RefusesWrites(string path)
    {
        try
        {
            if (Directory.Exists(path))
            {
                var probe = Path.Combine(path, ".probe");
                File.WriteAllText(probe, "");
                File.Delete(probe);
            }
            else
            {
                using var stream = File.OpenWrite(path);
            }
            return false;
        }
        catch (Exception ex) when (ex is UnauthorizedAccessException or IOException)
        {
            return true;
        }
    }

    private static bool IsRoot() => Environment.UserName == "root";

    private static bool Chattr(string flag, string path)
    {
        try
        {
            using var chattr = Process.Start(new ProcessStartInfo("chattr") { ArgumentList = { flag, path }, RedirectStandardError = true, UseShellExecute = false })!;
            chattr.WaitForExit();
            return chattr.ExitCode == 0;
        }
        catch (System.ComponentModel.Win32Exception)
        {
            return false;
        }
    }
}
