using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json.Nodes;
using HandsBot.Core.Model;

namespace HandsBot.Webhooks.Tests;

/// <summary>The hook endpoint over real HTTP: what starts a run, what is refused (and then starts nothing), repeats, rotation and payload handling.</summary>
public sealed class WebhookEndpointTests : IAsyncLifetime
{
    private readonly string _folder = HookHost.NewFolder();
    private readonly string _secretVar = "HANDSBOT_TEST_HOOK_" + Guid.NewGuid().ToString("N");
    private readonly string _nextVar = "HANDSBOT_TEST_HOOK_" + Guid.NewGuid().ToString("N");
    private const string Secret = "s3cr3t-for-tests";
    private HookHost _host = null!;
    private string _echoDir = null!;

    private static readonly byte[] Body = Encoding.UTF8.GetBytes("{\"ref\":\"refs/heads/main\",\"head_commit\":{\"id\":\"abc123\"}}");

    public async Task InitializeAsync()
    {
        Environment.SetEnvironmentVariable(_secretVar, Secret);
        _echoDir = Hand("gh", "github");
        Hand("signed", "hmac");
        Hand("token", "bearer");
        Hand("rotating", "hmac", secretEnv: $"[\"{_secretVar}\", \"{_nextVar}\"]");
        Hand("limited", "hmac", extra: "rate_limit = 1\nburst = 2\n");
        Hand("small", "hmac", extra: "max_body = 100\n");
        Hand("unset", "hmac", secretEnv: "\"HANDSBOT_TEST_HOOK_NEVER_SET\"");
        Hand("off", "hmac", handExtra: "enabled = false\n");
        Hand("resting", "hmac");
        Hand("open", "github", extra: "rate_limit = 100000\nburst = 1000\n");
        HookHost.AddHand(_folder, "cron", "[hand]\nschedule = \"0 7 * * *\"\n[run]\ncommand = \"true\"\n");
        _host = await HookHost.StartAsync(_folder);
        await _host.Engine.PauseAsync("resting", "console:local");
    }

    public async Task DisposeAsync()
    {
        await _host.DisposeAsync();
        Environment.SetEnvironmentVariable(_secretVar, null);
        Environment.SetEnvironmentVariable(_nextVar, null);
    }

    private string Hand(string name, string scheme, string? secretEnv = null, string extra = "", string handExtra = "") =>
        HookHost.AddHand(_folder, name,
            $"[hand]\ntrigger = \"webhook\"\n{handExtra}[run]\ncommand = \"./echo.sh\"\n[webhook]\nsecret_env = {secretEnv ?? $"\"{_secretVar}\""}\nscheme = \"{scheme}\"\n{extra}[webhook.params]\nref = \"/ref\"\nsha = \"/head_commit/id\"\n",
            ("echo.sh", "#!/bin/sh\ncp \"$HAND_PAYLOAD\" got-payload\nprintf '%s' \"$HAND_PARAM_REF\" > got-ref\nprintf '%s|%s|%s|%s' \"$HAND_TRIGGER\" \"$HAND_PAYLOAD_TYPE\" \"$HAND_PARAM_REF\" \"$HAND_PARAM_SHA\"\n"));

    private async Task<string> AcceptedRunId(HttpResponseMessage response, string status = "started")
    {
        Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
        var json = JsonNode.Parse(await response.Content.ReadAsStringAsync())!;
        Assert.Equal(status, (string?)json["status"]);
        return (string)json["run_id"]!;
    }

    [Fact]
    public async Task GithubSignature_StartsARun_WithThePayloadAndParams()
    {
        var response = await _host.Client.SendAsync(HookHost.Github("gh", Body, Secret, "delivery-1"));

        var run = await _host.FinishedAsync(await AcceptedRunId(response));
        Assert.Equal(ExecutionOutcome.Success, run.Outcome);
        Assert.Equal(RunTrigger.Webhook, run.Trigger);
        Assert.Equal("delivery-1", run.DeliveryId);
        Assert.Equal("webhook|application/json|refs/heads/main|abc123", run.Output);
        Assert.Equal(Body, File.ReadAllBytes(Path.Combine(_echoDir, "got-payload")));
    }

    [Fact]
    public async Task HmacSignature_StartsARun()
    {
        var response = await _host.Client.SendAsync(HookHost.Hmac("signed", Body, Secret, _host.Time.GetUtcNow()));

        var run = await _host.FinishedAsync(await AcceptedRunId(response));
        Assert.Equal(ExecutionOutcome.Success, run.Outcome);
        Assert.StartsWith("signature:sha256=", run.DeliveryId, StringComparison.Ordinal);
    }

    [Fact]
    public async Task BearerToken_StartsARun_AndAWrongOneIsRefused()
    {
        var good = HookHost.Post("token", Body);
        good.Headers.Authorization = new("Bearer", Secret);
        var bad = HookHost.Post("token", Body);
        bad.Headers.Authorization = new("Bearer", Secret + "x");

        var runId = await AcceptedRunId(await _host.Client.SendAsync(good));
        Assert.Equal(HttpStatusCode.Unauthorized, (await _host.Client.SendAsync(bad)).StatusCode);

        await _host.FinishedAsync(runId);
        Assert.Single(await _host.RunsOf("token"));
    }

    public static TheoryData<string> Refused => new() { "wrong", "missing", "stale", "future", "other-body", "malformed", "wrong-secret" };

    [Theory]
    [MemberData(nameof(Refused))]
    public async Task BadSignatures_Are401WithNoDetail_AndStartNothing(string kind)
    {
        var now = _host.Time.GetUtcNow();
        var request = kind switch
        {
            "wrong" => Tamper(HookHost.Hmac("signed", Body, Secret, now), "X-Hook-Signature", "sha256=" + new string('0', 64)),
            "missing" => HookHost.Post("signed", Body),
            "stale" => HookHost.Hmac("signed", Body, Secret, now.AddSeconds(-301)),
            "future" => HookHost.Hmac("signed", Body, Secret, now.AddSeconds(301)),
            "malformed" => Tamper(HookHost.Hmac("signed", Body, Secret, now), "X-Hook-Signature", "sha256=zz"),
            "wrong-secret" => HookHost.Hmac("signed", Body, "not the secret", now),
            _ => WithBody(HookHost.Hmac("signed", Body, Secret, now), Encoding.UTF8.GetBytes("{\"ref\":\"refs/heads/evil\"}")),
        };

        var response = await _host.Client.SendAsync(request);

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        Assert.Equal("", await response.Content.ReadAsStringAsync());
        Assert.Empty(await _host.RunsOf("signed"));
    }

    [Fact]
    public async Task ReplayedCall_FindsTheFirstRun_AndAfterTheToleranceIsRefused()
    {
        var at = _host.Time.GetUtcNow();
        var first = await AcceptedRunId(await _host.Client.SendAsync(HookHost.Hmac("signed", Body, Secret, at)));

        var again = await AcceptedRunId(await _host.Client.SendAsync(HookHost.Hmac("signed", Body, Secret, at)), "duplicate");
        _host.Time.Advance(TimeSpan.FromSeconds(301));
        var late = await _host.Client.SendAsync(HookHost.Hmac("signed", Body, Secret, at));

        Assert.Equal(first, again);
        Assert.Equal(HttpStatusCode.Unauthorized, late.StatusCode);
        await _host.FinishedAsync(first);
        Assert.Single(await _host.RunsOf("signed"));
    }

    [Fact]
    public async Task RepeatedDeliveryId_ReturnsTheSameRun_AndStartsNothing()
    {
        var first = await AcceptedRunId(await _host.Client.SendAsync(HookHost.Github("gh", Body, Secret, "same-delivery")));
        await _host.FinishedAsync(first);

        var again = await AcceptedRunId(await _host.Client.SendAsync(HookHost.Github("gh", Body, Secret, "same-delivery")), "duplicate");
        var keyed = await AcceptedRunId(await _host.Client.SendAsync(HookHost.Hmac("signed", Body, Secret, _host.Time.GetUtcNow(), "key-1")));
        _host.Time.Advance(TimeSpan.FromSeconds(5));
        var keyedAgain = await AcceptedRunId(await _host.Client.SendAsync(HookHost.Hmac("signed", Body, Secret, _host.Time.GetUtcNow(), "key-1")), "duplicate");

        Assert.Equal(first, again);
        Assert.Equal(keyed, keyedAgain);
        Assert.Single(await _host.RunsOf("gh"));
        await _host.FinishedAsync(keyed);
        Assert.Single(await _host.RunsOf("signed"));
    }

    [Fact]
    public async Task SecretRotation_AcceptsEitherSecret_AndOnlyThose()
    {
        const string next = "the-next-secret";
        Environment.SetEnvironmentVariable(_nextVar, next);
        var now = _host.Time.GetUtcNow();

        var old = await AcceptedRunId(await _host.Client.SendAsync(HookHost.Hmac("rotating", Body, Secret, now, "a")));
        await _host.FinishedAsync(old);
        var fresh = await AcceptedRunId(await _host.Client.SendAsync(HookHost.Hmac("rotating", Body, next, now, "b")));
        var neither = await _host.Client.SendAsync(HookHost.Hmac("rotating", Body, "a third secret", now, "c"));
        // The rotation ends: the old variable is unset, and its secret stops working.
        Environment.SetEnvironmentVariable(_secretVar, null);
        var retired = await _host.Client.SendAsync(HookHost.Hmac("rotating", Body, Secret, now, "d"));
        Environment.SetEnvironmentVariable(_secretVar, Secret);

        Assert.NotEqual(old, fresh);
        Assert.Equal(HttpStatusCode.Unauthorized, neither.StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, retired.StatusCode);
        await _host.FinishedAsync(old);
        await _host.FinishedAsync(fresh);
    }

    [Fact]
    public async Task QueryString_IsRefused_AndStartsNothing()
    {
        var request = HookHost.Hmac("signed", Body, Secret, _host.Time.GetUtcNow());
        request.RequestUri = new Uri("/hooks/signed?token=" + Secret, UriKind.Relative);

        var response = await _host.Client.SendAsync(request);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("query_string", (string?)JsonNode.Parse(await response.Content.ReadAsStringAsync())!["error"]);
        Assert.Empty(await _host.RunsOf("signed"));
    }

    [Fact]
    public async Task OversizedBody_Is413_AndStartsNothing()
    {
        var big = new byte[101];
        var declared = await _host.Client.SendAsync(HookHost.Hmac("small", big, Secret, _host.Time.GetUtcNow()));
        // Chunked: no Content-Length to go by; the read stops at the limit.
        var chunked = new HttpRequestMessage(HttpMethod.Post, "/hooks/small") { Content = new StreamContent(new NonSeekable(new byte[5000])) };
        var signedChunked = HookHost.Hmac("small", new byte[5000], Secret, _host.Time.GetUtcNow());
        foreach (var header in signedChunked.Headers) chunked.Headers.TryAddWithoutValidation(header.Key, header.Value);
        var chunkedResponse = await _host.Client.SendAsync(chunked);

        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, declared.StatusCode);
        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, chunkedResponse.StatusCode);
        Assert.Empty(await _host.RunsOf("small"));
        // Exactly at the limit is fine.
        var fits = await AcceptedRunId(await _host.Client.SendAsync(HookHost.Hmac("small", new byte[100], Secret, _host.Time.GetUtcNow())));
        await _host.FinishedAsync(fits);
    }

    [Fact]
    public async Task TooManyCalls_Are429WithRetryAfter()
    {
        var now = _host.Time.GetUtcNow();
        var first = await AcceptedRunId(await _host.Client.SendAsync(HookHost.Hmac("limited", Body, Secret, now, "1")));
        await AcceptedRunId(await _host.Client.SendAsync(HookHost.Hmac("limited", Body, Secret, now, "2")), "skipped");
        var third = await _host.Client.SendAsync(HookHost.Hmac("limited", Body, Secret, now, "3"));

        Assert.Equal((HttpStatusCode)429, third.StatusCode);
        Assert.Equal(TimeSpan.FromSeconds(60), third.Headers.RetryAfter!.Delta);
        _host.Time.Advance(TimeSpan.FromSeconds(60));
        await _host.FinishedAsync(first);
        await AcceptedRunId(await _host.Client.SendAsync(HookHost.Hmac("limited", Body, Secret, _host.Time.GetUtcNow(), "4")));
    }

    [Theory]
    [InlineData("nope", HttpStatusCode.NotFound, "unknown_hook")]
    [InlineData("cron", HttpStatusCode.NotFound, "not_a_webhook")]
    [InlineData("off", HttpStatusCode.Conflict, "disabled")]
    [InlineData("resting", HttpStatusCode.Conflict, "paused")]
    [InlineData("unset", HttpStatusCode.ServiceUnavailable, "not_configured")]
    public async Task HooksThatCannotRun_AnswerAClearStatusAndBody(string hand, HttpStatusCode status, string error)
    {
        var response = await _host.Client.SendAsync(HookHost.Hmac(hand, Body, Secret, _host.Time.GetUtcNow()));

        Assert.Equal(status, response.StatusCode);
        Assert.Equal("application/json; charset=utf-8", response.Content.Headers.ContentType!.ToString());
        var json = JsonNode.Parse(await response.Content.ReadAsStringAsync())!;
        Assert.Equal(error, (string?)json["error"]);
        Assert.DoesNotContain(Secret, json.ToJsonString(), StringComparison.Ordinal);
        Assert.Empty(await _host.RunsOf(hand));
    }

    [Fact]
    public async Task ShellMetacharacters_ArriveByteForByte_AndRunNothing()
    {
        var evil = "$(touch pwned-1); `touch pwned-2`; a && touch pwned-3 | touch pwned-4 > x < y; \"'\\ ${HOME} *?[] ~ \u00e9 \n\t end";
        var body = new JsonObject { ["ref"] = evil, ["head_commit"] = new JsonObject { ["id"] = "';touch pwned-5;'" } };
        var raw = Encoding.UTF8.GetBytes(body.ToJsonString());

        var run = await _host.FinishedAsync(await AcceptedRunId(await _host.Client.SendAsync(HookHost.Github("gh", raw, Secret))));

        Assert.Equal(ExecutionOutcome.Success, run.Outcome);
        Assert.Equal(raw, File.ReadAllBytes(Path.Combine(_echoDir, "got-payload")));
        Assert.Equal(Encoding.UTF8.GetBytes(evil), File.ReadAllBytes(Path.Combine(_echoDir, "got-ref")));
        Assert.Equal($"webhook|application/json|{evil}|';touch pwned-5;'", run.Output);
        Assert.Empty(Directory.GetFiles(_echoDir, "pwned*"));
        Assert.Empty(Directory.GetFiles(_folder, "pwned*", SearchOption.AllDirectories));
    }

    [Fact]
    public async Task EveryCall_IsAudited_AndAFloodAddsOnlyASummary()
    {
        var accepted = await AcceptedRunId(await _host.Client.SendAsync(HookHost.Github("open", Body, Secret, "audited-1")));
        for (var i = 0; i < 200; i++)
        {
            var response = await _host.Client.SendAsync(HookHost.Github("open", Body, "garbage", "flood-" + i));
            Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        }
        await _host.Client.SendAsync(HookHost.Post("made-up-name", Body));
        _host.Time.Advance(TimeSpan.FromMinutes(1));
        await _host.Audit.DrainAsync();
        await _host.FinishedAsync(accepted);

        var log = await _host.Store.ListAuditAsync(100);
        var mine = log.Where(e => e.Identity == "webhook").ToList();
        var ok = Assert.Single(mine, e => e.Allowed);
        Assert.Equal("hook open", ok.Action);
        Assert.Equal("127.0.0.1", ok.Where);
        Assert.Equal($"202 started; delivery audited-1; run {accepted}", ok.Detail);
        var refused = mine.Where(e => !e.Allowed && e.Action == "hook open").ToList();
        Assert.Equal(2, refused.Count);
        Assert.Contains(refused, e => e.Detail == "401 signature wrong; delivery none");
        Assert.Contains(refused, e => e.Detail!.StartsWith("199 more calls to hook open refused with 401", StringComparison.Ordinal));
        Assert.Contains(mine, e => e.Action == "hook made-up-name" && e.Detail!.StartsWith("404 unknown hook", StringComparison.Ordinal));
    }

    private static HttpRequestMessage Tamper(HttpRequestMessage request, string header, string value)
    {
        request.Headers.Remove(header);
        request.Headers.Add(header, value);
        return request;
    }

    private static HttpRequestMessage WithBody(HttpRequestMessage request, byte[] body)
    {
        var type = request.Content!.Headers.ContentType;
        request.Content = new ByteArrayContent(body);
        request.Content.Headers.ContentType = type;
        return request;
    }

    /// <summary>A stream without a length, so the client sends it chunked.</summary>
    private sealed class NonSeekable(byte[] data) : MemoryStream(data)
    {
        public override bool CanSeek => false;
    }
}
