using HandsBot.Cli;

namespace HandsBot.Tests.Cli;

/// <summary>`handsbot hooks` and the trigger column of `handsbot list`.</summary>
public sealed class HooksCommandTests : IDisposable
{
    private readonly TempBot _bot = new("[http]\nlisten = \"http://127.0.0.1:8080\"\npublic_url = \"https://bot.example.com/\"\n");

    public void Dispose() => _bot.Dispose();

    private static async Task<(int Exit, string Out, string Err)> Run(params string[] args)
    {
        var stdout = new StringWriter();
        var stderr = new StringWriter();
        var exit = await HandsBotCli.RunAsync(args, stdout, stderr);
        return (exit, stdout.ToString(), stderr.ToString());
    }

    private void AddHooks()
    {
        _bot.AddHand("deploy", "[hand]\ntrigger = \"webhook\"\n[run]\ncommand = \"true\"\n[webhook]\nsecret_env = [\"HOOK_OLD\", \"HOOK_DEPLOY\"]\nscheme = \"github\"\n");
        _bot.AddHand("notify", "[hand]\ntrigger = \"webhook\"\n[run]\ncommand = \"true\"\n[webhook]\nsecret_env = \"HOOK_NOTIFY\"\n");
        _bot.AddHand("report", "[hand]\ntrigger = \"event\"\n[run]\ncommand = \"true\"\n[trigger]\nafter = \"deploy\"\non = [\"success\", \"failure\"]\n");
    }

    [Fact]
    public async Task Hooks_PrintsEachUrl_WithGithubAndCurlLines_AndNoSecret()
    {
        AddHooks();
        Environment.SetEnvironmentVariable("HOOK_DEPLOY", "do-not-print-me");
        try
        {
            var (exit, stdout, _) = await Run("hooks", "--config", _bot.ConfigPath);

            Assert.Equal(0, exit);
            Assert.Contains("deploy  https://bot.example.com/hooks/deploy  (github; secret in $HOOK_DEPLOY)", stdout, StringComparison.Ordinal);
            Assert.Contains("GitHub: repository Settings → Webhooks → Add webhook", stdout, StringComparison.Ordinal);
            Assert.Contains("Payload URL:  https://bot.example.com/hooks/deploy", stdout, StringComparison.Ordinal);
            Assert.Contains("X-Hub-Signature-256: sha256=$sig", stdout, StringComparison.Ordinal);
            Assert.Contains("notify  https://bot.example.com/hooks/notify  (hmac; secret in $HOOK_NOTIFY)", stdout, StringComparison.Ordinal);
            Assert.Contains("printf '%s.%s' \"$ts\" \"$body\" | openssl dgst -sha256 -hmac \"$HOOK_NOTIFY\"", stdout, StringComparison.Ordinal);
            Assert.DoesNotContain("report", stdout, StringComparison.Ordinal);
            Assert.DoesNotContain("do-not-print-me", stdout, StringComparison.Ordinal);
        }
        finally
        {
            Environment.SetEnvironmentVariable("HOOK_DEPLOY", null);
        }
    }

    [Fact]
    public async Task Hooks_WithoutPublicUrl_UsesListen_AndSaysSo()
    {
        using var bot = new TempBot("[http]\nlisten = \"http://0.0.0.0:9000\"\n");
        bot.AddHand("notify", "[hand]\ntrigger = \"webhook\"\n[run]\ncommand = \"true\"\n[webhook]\nsecret_env = \"HOOK_NOTIFY\"\nscheme = \"bearer\"\n");

        var (exit, stdout, stderr) = await Run("hooks", "--config", bot.ConfigPath);

        Assert.Equal(0, exit);
        Assert.Contains("notify  http://0.0.0.0:9000/hooks/notify  (bearer; secret in $HOOK_NOTIFY)", stdout, StringComparison.Ordinal);
        Assert.Contains("Authorization: Bearer $HOOK_NOTIFY", stdout, StringComparison.Ordinal);
        Assert.Contains("[http] public_url is not set", stderr, StringComparison.Ordinal);
    }

    [Fact]
    public async Task BadPublicUrl_IsAConfigurationError()
    {
        using var bot = new TempBot("[http]\npublic_url = \"bot.example.com\"\n");

        var (exit, _, stderr) = await Run("hooks", "--config", bot.ConfigPath);

        Assert.Equal(2, exit);
        Assert.Contains("[http] public_url", stderr, StringComparison.Ordinal);
    }

    [Fact]
    public async Task List_ShowsEachHandsTrigger()
    {
        AddHooks();
        _bot.AddHand("nightly", "[hand]\nschedule = \"0 3 * * *\"\n[run]\ncommand = \"true\"\n");

        var (exit, stdout, _) = await Run("list", "--config", _bot.ConfigPath);

        Assert.Equal(0, exit);
        Assert.Contains("TRIGGER", stdout, StringComparison.Ordinal);
        Assert.Matches(@"deploy\s+idle\s+webhook", stdout);
        Assert.Contains("after deploy on success or failure", stdout, StringComparison.Ordinal);
        Assert.Contains("every day at 03:00", stdout, StringComparison.Ordinal);
    }
}
