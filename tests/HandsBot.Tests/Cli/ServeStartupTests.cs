using HandsBot.Telegram.Tests.Fakes;

namespace HandsBot.Tests.Cli;

/// <summary>What `serve` says at start, and the console coming on when every platform fails.</summary>
public sealed class ServeStartupTests : IDisposable
{
    private readonly TempBot _bot = new();

    public void Dispose() => _bot.Dispose();

    [Fact]
    public async Task Serve_SaysWhichConfigItRead_WhereDataLives_AndThatTheConsoleIsOn()
    {
        await using var serve = CliProcess.Start(["serve", "--config", _bot.ConfigPath]);

        await serve.WaitForLogAsync($@"Config: read {Regex(_bot.ConfigPath)}");
        await serve.WaitForLogAsync($@"Hands from {Regex(Path.Combine(_bot.Root, "hands"))}; data in {Regex(Path.Combine(_bot.Root, "data", "handsbot.db"))}");
        await serve.WaitForLogAsync("Console channel on: commands on stdin");
        await serve.WaitForOutputAsync("HandsBot is running. Type /help");
    }

    [Fact]
    public async Task Serve_WithoutAConfigFile_SaysWhereItLooked()
    {
        File.Delete(_bot.ConfigPath);

        await using var serve = CliProcess.Start(["serve"], workingDirectory: _bot.Root);

        await serve.WaitForLogAsync($@"Config: no file at {Regex(_bot.ConfigPath)} \(looked relative to the current folder {Regex(_bot.Root)}\)");
    }

    [Fact]
    public async Task AWrongTelegramToken_FromTheEnvironment_IsNamed_AndTheConsoleComesOnAndSaysWhy()
    {
        await using var api = await new FakeBotApi().StartAsync();
        File.WriteAllText(_bot.ConfigPath, $"[telegram]\napi_url = \"{api.BaseUrl}\"\ndefault_chat = \"-100123\"\n");

        await using var serve = CliProcess.Start(["serve", "--config", _bot.ConfigPath], new Dictionary<string, string> { ["HANDSBOT_TELEGRAM__TOKEN"] = "999:wrong-token" });

        await serve.WaitForLogAsync("Channel telegram active; hands without \\[output\\] channel deliver to telegram:-100123");
        await serve.WaitForLogAsync("Console channel on standby");
        var rejected = await serve.WaitForLogAsync("Telegram rejected the bot token.*");
        Assert.Contains("check the environment variable HANDSBOT_TELEGRAM__TOKEN", rejected.Value, StringComparison.Ordinal);
        Assert.DoesNotContain("handsbot.toml", rejected.Value, StringComparison.Ordinal);
        await serve.WaitForOutputAsync(@"the console is on because every platform channel failed at start \(telegram: Telegram rejected the bot token \(401");
        await serve.SendAsync("/help");
        await serve.WaitForOutputAsync("/hands");
        Assert.DoesNotContain("wrong-token", serve.AllOutput, StringComparison.Ordinal);
    }

    private static string Regex(string text) => System.Text.RegularExpressions.Regex.Escape(text);
}
