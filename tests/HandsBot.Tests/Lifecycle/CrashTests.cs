using System.Globalization;
using System.Text.RegularExpressions;
using HandsBot.Discord.Tests.Fakes;
using HandsBot.Tests.Cli;
using Xunit.Abstractions;

namespace HandsBot.Tests.Lifecycle;

/// <summary>
/// The real `handsbot serve` killed with SIGKILL at random moments while hands run, queue, wait for
/// approval and deliver. Counted from the outside after the last restart: the hands' own ledger (what
/// started, what overlapped, which approved actions ran), the console every process printed, the
/// messages the fake Discord created, and the database.
/// </summary>
public sealed partial class CrashTests(ITestOutputHelper output) : IAsyncLifetime, IDisposable
{
    private const string Channel = "555";
    private const int Crashes = 20;
    private static readonly string[] Hands = ["ticker-a", "ticker-b", "ticker-c", "queued", "gated"];
    private FakeDiscordServer _discord = null!;
    private TempBot _bot = null!;
    private string _ledger = "";

    public async Task InitializeAsync()
    {
        _discord = await FakeDiscordServer.StartAsync();
        _bot = new TempBot($"""
            [console]
            enabled = true
            [scheduler]
            shutdown_grace = 5
            [discord]
            token = "{FakeDiscordServer.Token}"
            application_id = "{FakeDiscordServer.ApplicationId}"
            api_url = "{_discord.ApiUrl}"
            default_channel = "{Channel}"
            """);
        _ledger = Path.Combine(_bot.Root, "ledger");
        Directory.CreateDirectory(_ledger);
        // Each run notes that it started, then holds the hand's lock while it works: a second run of the same
        // hand at the same time cannot take the lock and writes to the overlap ledger.
        var work = $"""
            #!/bin/sh
            echo "$HAND_RUN_ID" >> "{_ledger}/started"
            flock -n "{_ledger}/lock-$HAND_NAME" -c "sleep $1" || echo "$HAND_NAME $HAND_RUN_ID" >> "{_ledger}/overlap"
            echo "OUT:$HAND_RUN_ID:END"
            """;
        foreach (var ticker in Hands[..3])
        {
            _bot.AddHand(ticker, "[hand]\noverlap = \"skip\"\n[hand.schedule]\ninterval = 1\n[run]\ncommand = \"./work.sh 0.6\"\n[output]\nchannel = [\"console\", \"discord\"]\n", ("work.sh", work));
        }
        _bot.AddHand("queued", "[hand]\noverlap = \"queue\"\n[hand.schedule]\ninterval = 1\n[run]\ncommand = \"./work.sh 1.3\"\n[output]\nchannel = [\"console\", \"discord\"]\n", ("work.sh", work));
        var request = """
            #!/bin/sh
            echo '{"gate": "act", "summary": "act now"}' >> "$HAND_REQUESTS"
            echo "asked"
            """;
        var act = $"""
            #!/bin/sh
            echo "$HAND_APPROVAL_ID" >> "{_ledger}/actions"
            sleep 0.3
            echo "ACT:$HAND_APPROVAL_ID:END"
            """;
        _bot.AddHand("gated", "[hand]\n[hand.schedule]\ninterval = 2\n[run]\ncommand = \"./request.sh\"\n[approval_gates]\nact = { action = \"act\", description = \"Act\", command = \"./act.sh\", auto_approve_after = 1 }\n[output]\nchannel = [\"console\", \"discord\"]\n",
            ("request.sh", request), ("act.sh", act));
    }

    public async Task DisposeAsync() => await _discord.DisposeAsync();

    public void Dispose() => _bot.Dispose();

    private string Database => Path.Combine(_bot.Root, "data", "handsbot.db");

    private CliProcess Serve() => CliProcess.Start(["serve", "--config", _bot.ConfigPath]);

    [Fact]
    public async Task RandomKills_LoseNothing_DoubleNothing_AndNeverOverlapAHand()
    {
        var seed = Environment.TickCount;
        output.WriteLine($"seed {seed}");
        var random = new Random(seed);
        var console = new List<string>();
        for (var i = 0; i < Crashes; i++)
        {
            await using var bot = Serve();
            await bot.WaitForOutputAsync("HandsBot is running");
            await Task.Delay(TimeSpan.FromMilliseconds(random.Next(300, 3000))); // a random moment, not a synchronisation
            bot.Signal(9);
            await bot.WaitForExitAsync(30);
            console.Add(bot.Stdout);
        }

        await using (var last = Serve())
        {
            await last.WaitForOutputAsync("HandsBot is running");
            foreach (var hand in Hands) await last.SendAsync("/pause " + hand);
            await ProcessTable.WaitUntilAsync(SettledAsync, "every run has an outcome, every approval is decided and every message is delivered", seconds: 120);
            last.Signal(15);
            Assert.Equal(0, await last.WaitForExitAsync(60));
            console.Add(last.Stdout);
        }

        await AssertCountsAsync(string.Concat(console));
    }

    private bool SettledAsync()
    {
        var open = Scalar("SELECT count(*) FROM executions WHERE outcome IS NULL")
            + Scalar("SELECT count(*) FROM approvals WHERE status = 'pending'")
            + Scalar("SELECT count(*) FROM outbox WHERE status = 'pending'");
        return open == 0;
    }

    private long Scalar(string sql) => (long)BotDatabase.QueryAsync(Database, sql).GetAwaiter().GetResult().Single().Values.Single()!;

    private async Task AssertCountsAsync(string console)
    {
        var runs = await BotDatabase.QueryAsync(Database, "SELECT id, hand, outcome, approval_id FROM executions;");
        var started = Lines("started");
        var actions = Lines("actions");
        var consoleCounts = Tokens(OutToken(), console);
        var discordCounts = DiscordMessages();
        var takeovers = (await BotDatabase.QueryAsync(Database, "SELECT execution_id, takeovers FROM outbox WHERE platform = 'console' AND takeovers > 0;"))
            .Select(r => (string)r["execution_id"]!).ToHashSet(StringComparer.Ordinal);

        var successes = runs.Where(r => (string?)r["outcome"] == "success" && Hands[..4].Contains((string)r["hand"]!)).ToList();
        output.WriteLine($"runs {runs.Count} (outcomes: {string.Join(", ", runs.GroupBy(r => (string?)r["outcome"]).Select(g => $"{g.Key} {g.Count()}"))}), " +
            $"started {started.Count}, approved actions {actions.Count}, console outputs {consoleCounts.Values.Sum()}, Discord messages {discordCounts.Values.Sum()}, " +
            $"console items taken over {takeovers.Count}");

        Assert.All(runs, r => Assert.NotNull(r["outcome"]));
        Assert.Empty(Lines("overlap"));
        Assert.Empty(started.GroupBy(id => id).Where(g => g.Count() > 1).Select(g => g.Key));
        Assert.True(successes.Count >= 20, $"only {successes.Count} runs succeeded: the test did not exercise the bot");

        foreach (var run in successes)
        {
            var id = (string)run["id"]!;
            Assert.True(discordCounts.GetValueOrDefault(id) == 1, $"run {id}: {discordCounts.GetValueOrDefault(id)} Discord messages");
            var shown = consoleCounts.GetValueOrDefault(id);
            // The console has no idempotency key: an item whose claim was taken over after a crash may show twice.
            Assert.True(shown == 1 || (shown == 2 && takeovers.Contains(id)), $"run {id}: shown {shown} times on the console");
        }
        foreach (var run in runs.Where(r => (string?)r["outcome"] != "success"))
        {
            Assert.Equal(0, discordCounts.GetValueOrDefault((string)run["id"]!));
        }

        var approved = await BotDatabase.QueryAsync(Database, "SELECT id, reference FROM approvals WHERE status IN ('approved', 'auto_approved');");
        Assert.NotEmpty(approved);
        foreach (var approval in approved)
        {
            var carriedOut = runs.Where(r => (string?)r["approval_id"] == (string)approval["id"]!).ToList();
            Assert.Single(carriedOut);
            var ran = actions.Count(a => a == (string)approval["reference"]!);
            Assert.True(ran <= 1, $"approval {approval["reference"]}: its action ran {ran} times");
            if ((string?)carriedOut[0]["outcome"] == "success") Assert.Equal(1, ran);
        }
        Assert.Empty(_discord.Violations.Items);
    }

    private List<string> Lines(string ledger)
    {
        var path = Path.Combine(_ledger, ledger);
        return File.Exists(path) ? [.. File.ReadAllLines(path).Where(l => l.Length > 0)] : [];
    }

    /// <summary>Messages Discord created per run: a repeated nonce creates nothing new.</summary>
    private Dictionary<string, int> DiscordMessages()
    {
        var created = new HashSet<(string Run, string Nonce)>();
        var counter = 0;
        foreach (var request in _discord.Requests.Where(r => r.Method == "POST" && r.Path.EndsWith($"channels/{Channel}/messages", StringComparison.Ordinal)))
        {
            foreach (Match match in OutToken().Matches(request.Body))
            {
                var nonce = request.Json?["nonce"]?.GetValue<string>() ?? "none-" + (counter++).ToString(CultureInfo.InvariantCulture);
                created.Add((match.Groups[1].Value, nonce));
            }
        }
        return created.GroupBy(c => c.Run).ToDictionary(g => g.Key, g => g.Count(), StringComparer.Ordinal);
    }

    private static Dictionary<string, int> Tokens(Regex token, string text) =>
        token.Matches(text).GroupBy(m => m.Groups[1].Value).ToDictionary(g => g.Key, g => g.Count(), StringComparer.Ordinal);

    [GeneratedRegex("OUT:([A-Za-z0-9_-]+):END")]
    private static partial Regex OutToken();
}
