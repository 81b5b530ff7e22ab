using HandsBot.Core.Manifest;
using HandsBot.Core.Model;
using static HandsBot.Core.Tests.Manifest.TestContexts;

namespace HandsBot.Core.Tests.Manifest;

/// <summary>[hand] trigger, [webhook] and [trigger]: what they read, and every error with its line, column and key.</summary>
public sealed class TriggerManifestTests : IDisposable
{
    private readonly HandFolder _folder = new();

    public void Dispose() => _folder.Dispose();

    [Fact]
    public void Webhook_ReadsEveryKey()
    {
        var m = ParseValid("""
            [hand]
            trigger = "webhook"
            schedule = "0 7 * * *"
            [webhook]
            secret_env = ["HOOK_OLD", "HOOK_NEW"]
            scheme = "github"
            max_body = 2048
            tolerance = 60
            max_param = 100
            rate_limit = 30
            burst = 5
            [webhook.params]
            ref = "/ref"
            sha = "/head_commit/id"
            """);

        Assert.Equal(TriggerKind.Webhook, m.Trigger);
        Assert.NotNull(m.Schedule); // both start it
        var w = m.Webhook!;
        Assert.Equal(["HOOK_OLD", "HOOK_NEW"], w.SecretEnv);
        Assert.Equal(WebhookScheme.Github, w.Scheme);
        Assert.Equal(2048, w.MaxBody);
        Assert.Equal(TimeSpan.FromSeconds(60), w.Tolerance);
        Assert.Equal([new WebhookParam("ref", "/ref"), new WebhookParam("sha", "/head_commit/id")], w.Params);
        Assert.Equal((100, 30, 5), (w.MaxParam, w.RatePerMinute, w.Burst));
    }

    [Fact]
    public void Webhook_Defaults()
    {
        var m = ParseValid("[hand]\ntrigger = \"webhook\"\n[webhook]\nsecret_env = \"HOOK\"\n");

        var w = m.Webhook!;
        Assert.Equal(WebhookScheme.Hmac, w.Scheme);
        Assert.Equal(1024 * 1024, w.MaxBody);
        Assert.Equal(TimeSpan.FromMinutes(5), w.Tolerance);
        Assert.Equal((4096, 60, 20), (w.MaxParam, w.RatePerMinute, w.Burst));
        Assert.Null(m.Schedule);
    }

    [Fact]
    public void Event_ReadsEveryKey()
    {
        var m = ParseValid("""
            [hand]
            trigger = "event"
            [trigger]
            after = ["fetch-prices", "fetch-news"]
            on = ["success", "timeout"]
            output_match = "^changed"
            output_pointer = "/status"
            output_equals = "up"
            max_depth = 3
            """);

        var e = m.Event!;
        Assert.Equal(TriggerKind.Event, m.Trigger);
        Assert.Equal(["fetch-prices", "fetch-news"], e.After);
        Assert.Equal([EventOn.Success, EventOn.Timeout], e.On);
        Assert.Equal("^changed", e.OutputMatch);
        Assert.Equal("/status", e.OutputPointer);
        Assert.Equal("\"up\"", e.OutputEqualsJson);
        Assert.Equal(3, e.MaxDepth);
    }

    [Theory]
    [InlineData("schedule = \"0 7 * * *\"", TriggerKind.Schedule)]
    [InlineData("", TriggerKind.Manual)]
    [InlineData("trigger = \"manual\"", TriggerKind.Manual)]
    [InlineData("trigger = \"schedule\"\nschedule = \"0 7 * * *\"", TriggerKind.Schedule)]
    public void Trigger_DefaultsFromTheSchedule(string line, TriggerKind expected) =>
        Assert.Equal(expected, ParseValid("[hand]\n" + line + "\n").Trigger);

    [Fact]
    public void ManualWithSchedule_DropsTheSchedule_WithAWarning()
    {
        var (m, diagnostics) = Parse("[hand]\ntrigger = \"manual\"\nschedule = \"0 7 * * *\"\n");

        Assert.Null(m!.Schedule);
        var warning = Assert.Single(diagnostics);
        Assert.Equal("hands/oracle/HAND.toml(3,12): warning: schedule: ignored: trigger = \"manual\" runs the hand only when asked (/run)", warning.ToString());
    }

    public static TheoryData<string, string> Errors => new()
    {
        { "[hand]\ntrigger = \"cron\"\n", "hands/oracle/HAND.toml(2,11): trigger: unknown value 'cron', expected 'schedule', 'manual', 'webhook' or 'event'" },
        { "[hand]\ntrigger = \"schedule\"\n", "hands/oracle/HAND.toml(2,11): trigger: trigger = \"schedule\" needs a schedule" },
        { "[hand]\ntrigger = \"webhook\"\n", "hands/oracle/HAND.toml(2,11): trigger: trigger = \"webhook\" needs a [webhook] table" },
        { "[hand]\ntrigger = \"webhook\"\n[webhook]\nscheme = \"github\"\n", "hands/oracle/HAND.toml(3,2): webhook.secret_env: missing: name the environment variable" },
        { "[hand]\ntrigger = \"webhook\"\n[webhook]\nsecret_env = \"H\"\nscheme = \"gitlab\"\n", "hands/oracle/HAND.toml(5,10): webhook.scheme: unknown value 'gitlab', expected 'github', 'hmac' or 'bearer'" },
        { "[hand]\ntrigger = \"webhook\"\n[webhook]\nsecret_env = \"my secret\"\n", "hands/oracle/HAND.toml(4,14): webhook.secret_env: 'my secret' is not an environment variable name" },
        { "[hand]\ntrigger = \"webhook\"\n[webhook]\nsecret_env = [\"A\", \"B\", \"C\"]\n", "webhook.secret_env: at most two variables" },
        { "[hand]\ntrigger = \"webhook\"\n[webhook]\nsecret_env = \"H\"\nsecret = \"hunter2\"\n", "hands/oracle/HAND.toml(5,10): webhook.secret: the secret never goes in HAND.toml" },
        { "[hand]\ntrigger = \"webhook\"\n[webhook]\nsecret_env = \"H\"\nmax_body = 0\n", "hands/oracle/HAND.toml(5,12): webhook.max_body: must be from 1 to 16777216 bytes, got 0" },
        { "[hand]\ntrigger = \"webhook\"\n[webhook]\nsecret_env = \"H\"\n[webhook.params]\nref = \"ref\"\n", "hands/oracle/HAND.toml(6,7): webhook.params.ref: 'ref' is not a JSON pointer: a JSON pointer starts with '/'" },
        { "[hand]\ntrigger = \"webhook\"\n[webhook]\nsecret_env = \"H\"\n[webhook.params]\nref = \"/a~2\"\n", "webhook.params.ref: '/a~2' is not a JSON pointer: '~' must be followed by 0" },
        { "[hand]\ntrigger = \"event\"\n", "hands/oracle/HAND.toml(2,11): trigger: trigger = \"event\" needs a [trigger] table" },
        { "[hand]\ntrigger = \"event\"\n[trigger]\non = \"success\"\n", "hands/oracle/HAND.toml(3,2): trigger.after: missing: name the hands" },
        { "[hand]\ntrigger = \"event\"\n[trigger]\nafter = \"a\"\non = [\"done\"]\n", "hands/oracle/HAND.toml(5,6): trigger.on: unknown outcome 'done', expected 'success', 'failure', 'timeout' or 'any'" },
        { "[hand]\ntrigger = \"event\"\n[trigger]\nafter = \"a\"\noutput_match = \"(\"\n", "hands/oracle/HAND.toml(5,16): trigger.output_match: not a valid regular expression" },
        { "[hand]\ntrigger = \"event\"\n[trigger]\nafter = \"a\"\noutput_pointer = \"status\"\noutput_equals = 1\n", "hands/oracle/HAND.toml(5,18): trigger.output_pointer: 'status' is not a JSON pointer" },
        { "[hand]\ntrigger = \"event\"\n[trigger]\nafter = \"a\"\noutput_pointer = \"/status\"\n", "trigger.output_pointer: needs output_equals" },
        { "[hand]\ntrigger = \"event\"\n[trigger]\nafter = \"a\"\nmax_depth = 0\n", "hands/oracle/HAND.toml(5,13): trigger.max_depth: must be from 1 to 100, got 0" },
    };

    [Theory]
    [MemberData(nameof(Errors))]
    public void BadTriggerTables_AreErrorsWithTheirPlace(string toml, string expected)
    {
        var (_, diagnostics) = Parse(toml);

        Assert.Contains(diagnostics, d => d.IsError && d.ToString().Contains(expected, StringComparison.Ordinal));
    }

    [Fact]
    public void TablesForAnotherTrigger_AreWarnings()
    {
        var (_, diagnostics) = Parse("[hand]\nschedule = \"0 7 * * *\"\n[webhook]\nsecret_env = \"H\"\n[trigger]\nafter = \"a\"\n");

        Assert.DoesNotContain(diagnostics, d => d.IsError);
        Assert.Contains(diagnostics, d => d.ToString() == "hands/oracle/HAND.toml(3,2): warning: webhook: ignored: the hand's trigger is 'schedule'; set trigger = \"webhook\" under [hand] to take webhook calls");
        Assert.Contains(diagnostics, d => d.ToString().StartsWith("hands/oracle/HAND.toml(5,2): warning: trigger: ignored", StringComparison.Ordinal));
    }

    [Fact]
    public void UnknownWebhookKey_SuggestsTheNearest()
    {
        var (_, diagnostics) = Parse("[hand]\ntrigger = \"webhook\"\n[webhook]\nsecret_env = \"H\"\nshceme = \"github\"\n");

        Assert.Contains(diagnostics, d => d.ToString() == "hands/oracle/HAND.toml(5,1): warning: webhook.shceme: unknown key, ignored (did you mean 'scheme'?)");
    }

    [Fact]
    public void SecretVariableNotSet_IsAWarningOnDisk()
    {
        var dir = _folder.AddHand("hook", "[hand]\ntrigger = \"webhook\"\n[run]\ncommand = \"true\"\n[webhook]\nsecret_env = \"HANDSBOT_TEST_UNSET_SECRET_VAR\"\n");

        var hand = HandLoader.LoadHand(dir, Default(_folder.Root));

        Assert.True(hand.IsValid);
        var warning = Assert.Single(hand.Diagnostics);
        Assert.Equal("hands/hook/HAND.toml(6,14): warning: webhook.secret_env: HANDSBOT_TEST_UNSET_SECRET_VAR is not set in HandsBot's environment; every call is refused (503) until it is", warning.ToString());
    }

    private string EventHand(string name, string after, string extra = "") =>
        _folder.AddHand(name, $"[hand]\ntrigger = \"event\"\n[run]\ncommand = \"true\"\n[trigger]\nafter = {after}\n{extra}");

    [Fact]
    public void Cycle_IsRejectedAtLoad_InEveryHandOnIt()
    {
        EventHand("a", "[\"b\"]");
        EventHand("b", "[\"c\"]");
        EventHand("c", "[\"a\"]");
        _folder.AddHand("d", "[hand]\n[run]\ncommand = \"true\"\n");

        var hands = HandLoader.LoadAll(_folder.Hands, Default(_folder.Root)).ToDictionary(h => h.Name);

        Assert.Equal(
            "hands/a/HAND.toml(6,9): trigger.after: the chain loops: a → b → c → a (each hand runs after the next); an event chain must end",
            Assert.Single(hands["a"].Errors).ToString());
        Assert.Contains("the chain loops: b → c → a → b", Assert.Single(hands["b"].Errors).ToString(), StringComparison.Ordinal);
        Assert.Contains("the chain loops: c → a → b → c", Assert.Single(hands["c"].Errors).ToString(), StringComparison.Ordinal);
        Assert.True(hands["d"].IsValid);
    }

    [Fact]
    public void SelfLoop_IsRejected()
    {
        EventHand("a", "\"a\"");

        var hand = Assert.Single(HandLoader.LoadAll(_folder.Hands, Default(_folder.Root)));

        Assert.Contains("the chain loops: a → a", Assert.Single(hand.Errors).ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public void AfterNamingNoHand_IsAnError_WithTheClosestName()
    {
        _folder.AddHand("fetch-prices", "[hand]\n[run]\ncommand = \"true\"\n");
        EventHand("report", "[\"fetch-price\"]");

        var report = HandLoader.LoadAll(_folder.Hands, Default(_folder.Root)).Single(h => h.Name == "report");

        Assert.Equal("hands/report/HAND.toml(6,9): trigger.after: no hand named 'fetch-price' (did you mean 'fetch-prices'?)", Assert.Single(report.Errors).ToString());
    }

    [Fact]
    public void ChainWithoutLoop_IsValid_AndPointerOnNonJsonParentWarns()
    {
        _folder.AddHand("fetch", "[hand]\n[run]\ncommand = \"true\"\n");
        EventHand("b", "\"fetch\"", "output_pointer = \"/x\"\noutput_equals = 1\n");
        EventHand("c", "[\"b\", \"fetch\"]");

        var hands = HandLoader.LoadAll(_folder.Hands, Default(_folder.Root));

        Assert.All(hands, h => Assert.True(h.IsValid, string.Join('\n', h.Diagnostics)));
        Assert.Contains(hands.Single(h => h.Name == "b").Diagnostics, d => d.ToString().Contains("warning: trigger.after: 'fetch' writes markdown output, so output_pointer never matches", StringComparison.Ordinal));
    }

    [Fact]
    public void ManifestJson_RoundTripsTriggers()
    {
        var m = ParseValid("[hand]\ntrigger = \"webhook\"\n[webhook]\nsecret_env = \"H\"\nscheme = \"bearer\"\n[webhook.params]\nref = \"/ref\"\n");
        var e = ParseValid("[hand]\ntrigger = \"event\"\n[trigger]\nafter = \"a\"\non = \"any\"\noutput_pointer = \"/s\"\noutput_equals = true\n");

        var back = ManifestJson.Deserialize(ManifestJson.Serialize(m));
        var backEvent = ManifestJson.Deserialize(ManifestJson.Serialize(e));

        Assert.Equal(TriggerKind.Webhook, back.Trigger);
        Assert.Equal(WebhookScheme.Bearer, back.Webhook!.Scheme);
        Assert.Equal(m.Webhook!.Params, back.Webhook.Params);
        Assert.Equal(["a"], backEvent.Event!.After);
        Assert.Equal([EventOn.Any], backEvent.Event.On);
        Assert.Equal("true", backEvent.Event.OutputEqualsJson);
    }
}
