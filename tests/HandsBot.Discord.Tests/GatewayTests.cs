using System.Text.Json.Nodes;
using HandsBot.Discord.Gateway;
using HandsBot.Discord.Tests.Fakes;

namespace HandsBot.Discord.Tests;

public sealed class GatewayTests
{
    [Fact]
    public async Task RunAsync_IdentifiesWithIntentsZeroAndHeartbeatsWithSequence()
    {
        await using var h = await DiscordHarness.StartAsync();
        h.Fake.HeartbeatIntervalMs = 50;

        await h.StartGatewayAsync();
        var beats = await h.Fake.Gateway.WaitAsync(e => e.Kind == "heartbeat", 2);

        var connect = h.Fake.Gateway.Items.First(e => e.Kind == "connect");
        Assert.Equal("/gateway?v=10&encoding=json", connect.Path);
        var identify = h.Fake.Gateway.Items.First(e => e.Kind == "identify").Data!;
        Assert.Equal(FakeDiscordServer.Token, identify["token"]!.GetValue<string>());
        Assert.Equal(0, identify["intents"]!.GetValue<int>());
        Assert.Equal("session-1", h.Gateway.SessionId);
        // READY was dispatch 1: heartbeats carry the last sequence.
        Assert.Equal(1, beats[^1].Data!.GetValue<long>());
    }

    [Fact]
    public async Task ServerHeartbeatRequest_IsAnsweredAtOnce()
    {
        await using var h = await DiscordHarness.StartAsync();
        await h.StartGatewayAsync();
        Assert.Empty(h.Fake.Gateway.Where(e => e.Kind == "heartbeat"));

        await h.Fake.SendOpAsync(1, null);

        await h.Fake.Gateway.WaitAsync(e => e.Kind == "heartbeat");
    }

    [Fact]
    public async Task InteractionDispatch_IsAnswered()
    {
        await using var h = await DiscordHarness.StartAsync();
        await h.StartGatewayAsync();

        await h.Fake.DispatchInteractionAsync(DiscordHarness.SlashCommand("hands"));

        await h.Fake.Requests.WaitAsync(r => r.Path.EndsWith("/callback", StringComparison.Ordinal) && r.Status == 204);
    }

    public static TheoryData<string> Faults => new() { "op7", "op9-resumable", "close-4000", "drop", "zombie" };

    [Theory]
    [MemberData(nameof(Faults))]
    public async Task Fault_ResumesSessionAndReplaysMissedInteraction(string fault)
    {
        await using var h = await DiscordHarness.StartAsync();
        if (fault == "zombie") h.Fake.HeartbeatIntervalMs = 100;
        await h.StartGatewayAsync();
        await h.Fake.DispatchInteractionAsync(DiscordHarness.SlashCommand("hands"));
        await h.Fake.Requests.WaitAsync(r => r.Path.EndsWith("/callback", StringComparison.Ordinal));

        switch (fault)
        {
            case "op7":
                await h.Fake.SendOpAsync(7, null);
                break;
            case "op9-resumable":
                await h.Fake.SendOpAsync(9, JsonValue.Create(true));
                break;
            case "close-4000":
                await h.Fake.CloseAsync(4000, "Unknown error");
                break;
            case "drop":
                h.Fake.AbortGateway();
                break;
            case "zombie":
                h.Fake.AckHeartbeats = false;
                break;
        }
        // Sent while the client is away (or about to leave): must arrive through the resume replay.
        await h.Fake.DispatchInteractionAsync(DiscordHarness.SlashCommand("status", hand: "briefing"));
        if (fault == "zombie")
        {
            await h.Fake.Gateway.WaitAsync(e => e.Kind is "client-close" or "dropped");
            h.Fake.AckHeartbeats = true;
        }

        await h.Fake.Gateway.WaitAsync(e => e.Kind == "resumed");
        await h.Fake.Requests.WaitAsync(r => r.Path.EndsWith("/callback", StringComparison.Ordinal) && r.Status == 204, 2);
        var resume = h.Fake.Gateway.Items.First(e => e.Kind == "resume");
        Assert.Equal("session-1", resume.Data!["session_id"]!.GetValue<string>());
        Assert.StartsWith("/resume", h.Fake.Gateway.Items.Last(e => e.Kind == "connect").Path, StringComparison.Ordinal);
        Assert.Single(h.Fake.Gateway.Where(e => e.Kind == "identify"));
        Assert.Equal(["hands", "status"], h.Commands.CommandCalls.Items.Select(c => c.Name).Distinct());
        if (fault is "op7" or "op9-resumable" or "zombie")
        {
            // The client closed its side with a non-1000 code so the session stayed resumable.
            var close = h.Fake.Gateway.Items.FirstOrDefault(e => e.Kind == "client-close");
            if (close is not null) Assert.NotEqual(1000, close.Code);
        }
        Assert.Empty(h.Fake.Violations.Items);
    }

    [Fact]
    public async Task Zombie_ClosesWithNon1000Code()
    {
        await using var h = await DiscordHarness.StartAsync();
        h.Fake.HeartbeatIntervalMs = 100;
        await h.StartGatewayAsync();
        h.Fake.AckHeartbeats = false;

        var close = await h.Fake.Gateway.WaitAsync(e => e.Kind is "client-close" or "dropped");
        h.Fake.AckHeartbeats = true;
        await h.Fake.Gateway.WaitAsync(e => e.Kind == "resumed");

        Assert.DoesNotContain(close, e => e.Code == 1000);
    }

    [Fact]
    public async Task InvalidSessionNotResumable_IdentifiesAnew()
    {
        await using var h = await DiscordHarness.StartAsync();
        await h.StartGatewayAsync();

        await h.Fake.SendOpAsync(9, JsonValue.Create(false));

        await h.Fake.Gateway.WaitAsync(e => e.Kind == "ready", 2);
        Assert.Equal(2, h.Fake.Gateway.Where(e => e.Kind == "identify").Count);
        Assert.Empty(h.Fake.Gateway.Where(e => e.Kind == "resume"));
    }

    [Theory]
    [InlineData(4009)]
    [InlineData(4007)]
    public async Task SessionEndingCloseCode_IdentifiesAnew(int code)
    {
        await using var h = await DiscordHarness.StartAsync();
        await h.StartGatewayAsync();

        await h.Fake.CloseAsync(code, "session gone");

        await h.Fake.Gateway.WaitAsync(e => e.Kind == "ready", 2);
        Assert.Empty(h.Fake.Gateway.Where(e => e.Kind == "resume"));
    }

    [Theory]
    [InlineData(4004, "token")]
    [InlineData(4010, "shard")]
    [InlineData(4011, "sharding")]
    [InlineData(4012, "version")]
    [InlineData(4013, "intents")]
    [InlineData(4014, "intents")]
    public async Task FatalCloseCode_StopsWithClearError(int code, string expected)
    {
        await using var h = await DiscordHarness.StartAsync();
        await h.StartGatewayAsync();

        await h.Fake.CloseAsync(code, "fatal");

        var error = await Assert.ThrowsAsync<DiscordGatewayException>(() => h.GatewayRun.WaitAsync(Journal<int>.SafetyTimeout));
        Assert.Equal(code, error.CloseCode);
        Assert.Contains(expected, error.Message, StringComparison.OrdinalIgnoreCase);
        Assert.Single(h.Fake.Gateway.Where(e => e.Kind == "connect"));
    }

    [Fact]
    public async Task BadToken_StopsWithClearErrorAndNoTokenInMessage()
    {
        await using var h = await DiscordHarness.StartAsync();
        var gatewayOnlyToken = "not-the-token";
        // The REST check passes (fake accepts the test token); Identify carries a different one.
        var client = new DiscordGatewayClient(h.Rest, new WebSocketGatewayTransportFactory(),
            Microsoft.Extensions.Options.Options.Create(new DiscordOptions { Token = gatewayOnlyToken, ApiUrl = h.Fake.ApiUrl }),
            TimeProvider.System, Microsoft.Extensions.Logging.Abstractions.NullLogger<DiscordGatewayClient>.Instance, (_, _) => Task.CompletedTask, DiscordHarness.FastGateway());

        var error = await Assert.ThrowsAsync<DiscordGatewayException>(() => client.RunAsync(CancellationToken.None).WaitAsync(Journal<int>.SafetyTimeout));

        Assert.Equal(4004, error.CloseCode);
        Assert.DoesNotContain(gatewayOnlyToken, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task GatewayUrlServerError_IsRetriedThenConnects()
    {
        await using var h = await DiscordHarness.StartAsync();
        var failures = 0;
        h.Fake.Script = r => r.Path == "gateway/bot" && Interlocked.Increment(ref failures) <= 2 ? FakeDiscordServer.Error(502, 0, "Bad Gateway") : null;

        await h.StartGatewayAsync();

        Assert.Equal(3, h.Fake.Requests.Where(r => r.Path == "gateway/bot").Count);
    }

    [Fact]
    public async Task GatewayUrlUnauthorized_StopsWithClearError()
    {
        await using var h = await DiscordHarness.StartAsync(o => o.Token = "revoked");
        var client = h.Gateway;

        var error = await Assert.ThrowsAsync<DiscordGatewayException>(() => client.RunAsync(CancellationToken.None).WaitAsync(Journal<int>.SafetyTimeout));

        Assert.Contains("token", error.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("revoked", error.Message, StringComparison.Ordinal);
        Assert.Single(h.Fake.Requests.Items);
    }

    [Fact]
    public async Task SlowHandler_DoesNotDelayHeartbeats()
    {
        await using var h = await DiscordHarness.StartAsync();
        h.Fake.HeartbeatIntervalMs = 50;
        var release = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        h.Commands.OnCommand = async c =>
        {
            await release.Task;
            return new Core.Chat.ChatReply { Markdown = "late" };
        };
        await h.StartGatewayAsync();

        await h.Fake.DispatchInteractionAsync(DiscordHarness.SlashCommand("hands"));
        await h.Commands.CommandCalls.WaitAsync(_ => true);
        var before = h.Fake.Gateway.Where(e => e.Kind == "heartbeat").Count;
        // Heartbeats keep flowing and being acknowledged while the handler is stuck.
        await h.Fake.Gateway.WaitAsync(e => e.Kind == "heartbeat", before + 3);
        release.SetResult();

        Assert.Empty(h.Fake.Gateway.Where(e => e.Kind is "client-close" or "dropped"));
    }
}
