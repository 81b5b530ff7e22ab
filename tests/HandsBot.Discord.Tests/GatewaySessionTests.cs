using HandsBot.Core.Configuration;
using HandsBot.Discord.Gateway;
using HandsBot.Discord.Rest;
using HandsBot.Discord.Tests.Fakes;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Time.Testing;

namespace HandsBot.Discord.Tests;

/// <summary>The session logic on a scripted transport, with the clock under the test's control.</summary>
public sealed class GatewaySessionTests
{
    private const string Hello = """{"op":10,"d":{"heartbeat_interval":1000}}""";
    private const string Ready = """{"op":0,"s":1,"t":"READY","d":{"session_id":"abc","resume_gateway_url":"wss://resume.example"}}""";

    private sealed class Session : IAsyncDisposable
    {
        private readonly CancellationTokenSource _stop = new();

        public Session(DiscordHarness h, GatewaySettings? settings = null)
        {
            Client = new DiscordGatewayClient(h.Rest, Transport, Microsoft.Extensions.Options.Options.Create(h.Options), Time,
                NullLogger<DiscordGatewayClient>.Instance, (i, _) => { Interactions.Add(i); return Task.CompletedTask; }, settings ?? DiscordHarness.FastGateway());
            Run = Task.Run(() => Client.RunAsync(_stop.Token));
        }

        public FakeTimeProvider Time { get; } = new();
        public ScriptedTransport Transport { get; } = new();
        public Journal<Interaction> Interactions { get; } = new();
        public DiscordGatewayClient Client { get; }
        public Task Run { get; }

        public async ValueTask DisposeAsync()
        {
            await _stop.CancelAsync();
            try { await Run.WaitAsync(Journal<int>.SafetyTimeout); } catch (DiscordGatewayException) { }
            _stop.Dispose();
        }
    }

    [Fact]
    public async Task Heartbeat_FirstBeatJitteredWithinInterval_ThenZombieWhenUnacknowledged()
    {
        await using var h = await DiscordHarness.StartAsync();
        await using var s = new Session(h);
        await s.Transport.Events.WaitAsync(e => e.StartsWith("connect", StringComparison.Ordinal));
        s.Transport.Feed(Hello);
        await s.Transport.Sent.WaitAsync(m => m.Contains("\"op\":2", StringComparison.Ordinal));
        s.Transport.Feed(Ready);

        // Within one interval the jittered first beat must have gone out.
        await AdvanceUntilAsync(s.Time, () => s.Transport.Sent.Items.Any(m => m.StartsWith("{\"op\":1", StringComparison.Ordinal)), TimeSpan.FromMilliseconds(1000));
        // No ACK: at the next beat the connection is a zombie, closed with a non-1000 code and resumed.
        await AdvanceUntilAsync(s.Time, () => s.Transport.Events.Items.Any(e => e.StartsWith("close", StringComparison.Ordinal)), TimeSpan.FromMilliseconds(1000));

        Assert.Contains("close 4000", s.Transport.Events.Items);
        await s.Transport.Events.WaitAsync(e => e == "connect wss://resume.example/?v=10&encoding=json");
        s.Transport.Feed(Hello);
        var resume = await s.Transport.Sent.WaitAsync(m => m.Contains("\"op\":6", StringComparison.Ordinal));
        Assert.Contains("\"session_id\":\"abc\"", resume[0], StringComparison.Ordinal);
        Assert.Contains("\"seq\":1", resume[0], StringComparison.Ordinal);
    }

    [Fact]
    public async Task Heartbeat_AcknowledgedBeatsKeepConnection()
    {
        await using var h = await DiscordHarness.StartAsync();
        await using var s = new Session(h);
        await s.Transport.Events.WaitAsync(e => e.StartsWith("connect", StringComparison.Ordinal));
        s.Transport.Feed(Hello);
        await s.Transport.Sent.WaitAsync(m => m.Contains("\"op\":2", StringComparison.Ordinal));
        s.Transport.Feed(Ready);

        for (var beat = 1; beat <= 3; beat++)
        {
            // Steps of a tenth of the interval leave the ACK time to be read before the next beat is due.
            await AdvanceUntilAsync(s.Time, () => s.Transport.Sent.Items.Count(m => m.StartsWith("{\"op\":1", StringComparison.Ordinal)) >= beat, TimeSpan.FromMilliseconds(100));
            s.Transport.Feed("""{"op":11}""");
        }

        Assert.DoesNotContain(s.Transport.Events.Items, e => e.StartsWith("close", StringComparison.Ordinal));
        Assert.Contains("""{"op":1,"d":1}""", s.Transport.Sent.Items);
    }

    [Fact]
    public async Task Op7_ClosesWithNon1000CodeAndResumes()
    {
        await using var h = await DiscordHarness.StartAsync();
        await using var s = new Session(h);
        await s.Transport.Events.WaitAsync(e => e.StartsWith("connect", StringComparison.Ordinal));
        s.Transport.Feed(Hello);
        await s.Transport.Sent.WaitAsync(m => m.Contains("\"op\":2", StringComparison.Ordinal));
        s.Transport.Feed(Ready);
        s.Transport.Feed("""{"op":0,"s":2,"t":"INTERACTION_CREATE","d":{"id":"9","type":2,"token":"t","data":{"name":"hands"}}}""");
        await s.Interactions.WaitAsync(_ => true);

        s.Transport.Feed("""{"op":7,"d":null}""");

        await s.Transport.Events.WaitAsync(e => e == "close 4000");
        await s.Transport.Events.WaitAsync(e => e.StartsWith("connect wss://resume.example", StringComparison.Ordinal));
        s.Transport.Feed(Hello);
        var resume = await s.Transport.Sent.WaitAsync(m => m.Contains("\"op\":6", StringComparison.Ordinal));
        Assert.Contains("\"seq\":2", resume[0], StringComparison.Ordinal);
    }

    [Fact]
    public async Task FirstPayloadNotHello_Reconnects()
    {
        await using var h = await DiscordHarness.StartAsync();
        await using var s = new Session(h);
        await s.Transport.Events.WaitAsync(e => e.StartsWith("connect", StringComparison.Ordinal));

        s.Transport.Feed("""{"op":11}""");

        await AdvanceUntilAsync(s.Time, () => s.Transport.Events.Items.Count(e => e.StartsWith("connect", StringComparison.Ordinal)) >= 2, TimeSpan.FromMilliseconds(100));
        Assert.Empty(s.Transport.Sent.Items);
    }

    [Fact]
    public async Task Backoff_GrowsOnFailuresAndRestartsAfterAHealthySession()
    {
        await using var h = await DiscordHarness.StartAsync();
        await using var s = new Session(h, new GatewaySettings { ReconnectDelay = TimeSpan.FromSeconds(1), MaxReconnectDelay = TimeSpan.FromSeconds(60) });
        int Connects() => s.Transport.Events.Items.Count(e => e.StartsWith("connect", StringComparison.Ordinal));
        await s.Transport.Events.WaitAsync(e => e.StartsWith("connect", StringComparison.Ordinal));

        // Four connections that fail before READY: delays 1, 2, 4, 8 s (each × 0.5–1).
        for (var attempt = 1; attempt <= 4; attempt++)
        {
            s.Transport.FeedClose(4000);
            await AdvanceUntilAsync(s.Time, () => Connects() > attempt, TimeSpan.FromMilliseconds(250));
        }
        Assert.True(s.Time.GetUtcNow() - s.Time.Start >= TimeSpan.FromSeconds(7.5), "backoff did not grow");

        // A healthy session (READY), then a drop: the next delay is back to at most 1 s.
        var started = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        s.Client.SessionStarted += _ => started.TrySetResult();
        s.Transport.Feed(Hello);
        await s.Transport.Sent.WaitAsync(m => m.Contains("\"op\":2", StringComparison.Ordinal));
        s.Transport.Feed(Ready);
        await started.Task.WaitAsync(Journal<int>.SafetyTimeout);
        var before = s.Time.GetUtcNow();
        s.Transport.FeedClose(4000);
        await AdvanceUntilAsync(s.Time, () => Connects() > 5, TimeSpan.FromMilliseconds(100));

        Assert.True(s.Time.GetUtcNow() - before <= TimeSpan.FromSeconds(1.1), "backoff was not reset after READY");
    }

    [Fact]
    public async Task Writer_KeepsUnder120PerMinuteButLetsHeartbeatsThrough()
    {
        var time = new FakeTimeProvider();
        var transport = new ScriptedTransport();
        var writer = new GatewayWriter(transport, time, new GatewaySettings());
        using var stop = new CancellationTokenSource();
        var run = writer.RunAsync(stop.Token);

        for (var i = 0; i < 130; i++) writer.Enqueue($"payload {i}");
        await transport.Sent.WaitAsync(_ => true, 115);
        writer.EnqueueHeartbeat("beat");
        await transport.Sent.WaitAsync(m => m == "beat");

        Assert.Equal(116, transport.Sent.Items.Count);
        time.Advance(TimeSpan.FromSeconds(60));
        await transport.Sent.WaitAsync(_ => true, 131);
        await stop.CancelAsync();
        try { await run; } catch (OperationCanceledException) { }
    }

    /// <summary>
    /// Advances fake time by <paramref name="step"/> until <paramref name="done"/> holds. Each step is
    /// followed by a short real wait for the client's timer continuations (a step can race the
    /// registration of the timer it is meant to fire, so it is repeated).
    /// </summary>
    private static async Task AdvanceUntilAsync(FakeTimeProvider time, Func<bool> done, TimeSpan step)
    {
        for (var i = 0; i < 100 && !done(); i++)
        {
            time.Advance(step);
            for (var spin = 0; spin < 20 && !done(); spin++) await Task.Yield();
            if (!done()) await Task.Delay(20);
        }
        Assert.True(done(), "condition not met while advancing fake time");
    }
}
