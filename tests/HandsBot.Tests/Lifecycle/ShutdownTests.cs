using HandsBot.Tests.Cli;

namespace HandsBot.Tests.Lifecycle;

/// <summary>
/// The real `handsbot serve` stopped the way deploys stop it: SIGTERM (docker stop, systemd) and SIGKILL
/// (a crash). Counted from the outside: the exit code, what the console received, what the database
/// recorded, and which of the hand's processes are still alive.
/// </summary>
public sealed class ShutdownTests : IDisposable
{
    private readonly TempBot _bot = new("[console]\nenabled = true\n[scheduler]\nshutdown_grace = 20\n");

    public void Dispose() => _bot.Dispose();

    private string Database => Path.Combine(_bot.Root, "data", "handsbot.db");

    private CliProcess Serve() => CliProcess.Start(["serve", "--config", _bot.ConfigPath]);

    [Fact]
    public async Task Sigterm_LetsTheRunningHandFinishWithinTheGrace_DeliversIt_AndExitsZero()
    {
        _bot.AddHand("slowpoke", "[hand]\n[run]\ncommand = \"sleep 2.31; echo finished cleanly\"\n[output]\nchannel = \"console\"\n");
        await using var bot = Serve();
        await bot.WaitForOutputAsync("HandsBot is running");
        await bot.SendAsync("/run slowpoke");
        await bot.WaitForOutputAsync("slowpoke started");
        await ProcessTable.WaitUntilAsync(() => ProcessTable.WithCommandLine("sleep 2.31").Count > 0, "the hand's process runs");

        bot.Signal(15);
        var exit = await bot.WaitForExitAsync(60);

        Assert.Equal(0, exit);
        Assert.Contains("finished cleanly", bot.Stdout, StringComparison.Ordinal);
        Assert.Empty(ProcessTable.WithCommandLine("sleep 2.31"));
        var run = Assert.Single(await BotDatabase.RunsAsync(Database, "slowpoke"));
        Assert.Equal("success", run["outcome"]);
        Assert.Equal("delivered", (await BotDatabase.QueryAsync(Database, $"SELECT status FROM outbox WHERE execution_id = '{run["id"]}';")).Single()["status"]);
    }

    [Fact]
    public async Task Sigterm_CancelsAHandStillRunningAfterTheGrace_KillsItsProcesses_AndExitsZero()
    {
        File.WriteAllText(_bot.ConfigPath, "[console]\nenabled = true\n[scheduler]\nshutdown_grace = 1\n");
        // The hand and a child it leaves in the background: both must go.
        _bot.AddHand("stubborn", "[hand]\n[run]\ncommand = \"sleep 60.19 & sleep 60.29\"\n[output]\nchannel = \"console\"\n");
        await using var bot = Serve();
        await bot.WaitForOutputAsync("HandsBot is running");
        await bot.SendAsync("/run stubborn");
        await ProcessTable.WaitUntilAsync(() => ProcessTable.WithCommandLine("sleep 60.29").Count > 0, "the hand's process runs");

        bot.Signal(15);
        var exit = await bot.WaitForExitAsync(60);

        Assert.Equal(0, exit);
        Assert.Empty(ProcessTable.WithCommandLine("sleep 60.19"));
        Assert.Empty(ProcessTable.WithCommandLine("sleep 60.29"));
        var run = Assert.Single(await BotDatabase.RunsAsync(Database, "stubborn"));
        Assert.Equal("cancelled", run["outcome"]);
        Assert.Contains("shutdown_grace (1 s)", (string)run["error"]!, StringComparison.Ordinal);
        Assert.DoesNotContain("   at ", bot.Stderr, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Sigkill_LeavesTheRunInterruptedAfterRestart_AndItsOrphanedProcessIsKilled()
    {
        _bot.AddHand("orphaned", "[hand]\n[run]\ncommand = \"sleep 60.47\"\n[output]\nchannel = \"console\"\n");
        await using (var crashed = Serve())
        {
            await crashed.WaitForOutputAsync("HandsBot is running");
            await crashed.SendAsync("/run orphaned");
            await ProcessTable.WaitUntilAsync(() => ProcessTable.WithCommandLine("sleep 60.47").Count > 0, "the hand's process runs");
            crashed.Signal(9);
            await crashed.WaitForExitAsync(30);
        }
        // The hand has its own session: it outlives the bot, until the bot comes back.
        Assert.NotEmpty(ProcessTable.WithCommandLine("sleep 60.47"));

        await using var restarted = Serve();
        await restarted.WaitForOutputAsync(@"orphaned\*?\*?: interrupted");
        await ProcessTable.WaitUntilAsync(() => ProcessTable.WithCommandLine("sleep 60.47").Count == 0, "the orphan is gone");

        var run = Assert.Single(await BotDatabase.RunsAsync(Database, "orphaned"));
        Assert.Equal("interrupted", run["outcome"]);
        Assert.Contains("were killed", (string)run["error"]!, StringComparison.Ordinal);
        restarted.Signal(15);
        Assert.Equal(0, await restarted.WaitForExitAsync(60));
    }

    [Fact]
    public async Task SecondServeOnTheSameDatabase_IsRefusedNamingTheFileAndTheOtherProcess_WhileOneShotCommandsWork()
    {
        _bot.AddHand("hello", "[hand]\n[run]\ncommand = \"echo hello\"\n");
        await using var first = Serve();
        await first.WaitForOutputAsync("HandsBot is running");

        var second = await CliProcess.RunAsync(["serve", "--config", _bot.ConfigPath]);
        var list = await CliProcess.RunAsync(["list", "--config", _bot.ConfigPath]);
        var run = await CliProcess.RunAsync(["run", "hello", "--config", _bot.ConfigPath]);

        Assert.Equal(2, second.ExitCode);
        Assert.Contains(Database, second.Stderr, StringComparison.Ordinal);
        Assert.Contains("already used by a running HandsBot", second.Stderr, StringComparison.Ordinal);
        Assert.Contains($"/{first.Pid}/", second.Stderr, StringComparison.Ordinal);
        Assert.DoesNotContain("   at ", second.AllOutput, StringComparison.Ordinal);
        Assert.Equal(0, list.ExitCode);
        Assert.Equal(0, run.ExitCode);
        Assert.Equal("hello\n", run.Stdout);
        Assert.False(first.HasExited);
    }
}
