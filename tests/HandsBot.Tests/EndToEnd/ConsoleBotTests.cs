namespace HandsBot.Tests.EndToEnd;

/// <summary>The real bot, started like `dotnet run --project src/HandsBot` with the console channel.</summary>
public sealed class ConsoleBotTests : IDisposable
{
    private readonly TempBot _bot = new();

    public void Dispose() => _bot.Dispose();

    [Fact]
    public async Task ConsoleBot_DeliversScheduledOutput_RunsOnCommand_AndCompletesAnApprovalRoundTrip()
    {
        // A 6-field cron: every 2 seconds, so the scheduled delivery arrives quickly.
        _bot.AddHand("ticker", "[hand]\nschedule = \"*/2 * * * * *\"\n[run]\ncommand = \"echo scheduled tick\"\n[output]\nchannel = \"console\"\n");
        _bot.AddHand("hello", "[hand]\n[run]\ncommand = \"echo hello from a manual run\"\n");
        _bot.AddHand("briefing", "[hand]\n[run]\ncommand = \"echo the held briefing\"\n[approval_gates]\npost = { action = \"broadcast\", description = \"Post the briefing\" }\n");

        await using var bot = new BotProcess("--config", _bot.ConfigPath);
        await bot.WaitForAsync("HandsBot is running");

        await bot.WaitForAsync("scheduled tick");

        var mark = bot.Stdout.Length;
        await bot.SendAsync("/run hello");
        await bot.WaitForAsync(@"hello started, run [0-9a-f]{8}", mark);
        await bot.WaitForAsync("hello from a manual run", mark);

        mark = bot.Stdout.Length;
        await bot.SendAsync("/run briefing");
        var request = await bot.WaitForAsync(@"Approval needed.*\n(?:.*\n)*?.*/approve (?<ref>[a-z0-9]{10})", mark);
        var reference = request.Groups["ref"].Value;
        Assert.DoesNotMatch(@"^the held briefing$", bot.Stdout[mark..request.Index]);

        mark = bot.Stdout.Length;
        await bot.SendAsync("/approve " + reference[..5]);
        await bot.WaitForAsync("Approved", mark);
        await bot.WaitForAsync(@"^the held briefing", mark);
        await bot.WaitForAsync(@"update of message \d+(?:.*\n)*?.*Approved by console", mark);

        mark = bot.Stdout.Length;
        await bot.SendAsync("/approve " + reference);
        await bot.WaitForAsync("already approved by console", mark);
    }
}
