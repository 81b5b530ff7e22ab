using HandsBot.Core.Delivery;
using HandsBot.Core.Engine;
using HandsBot.Core.Model;
using HandsBot.Core.Storage;
using Microsoft.Extensions.Time.Testing;

namespace HandsBot.Core.Tests.Engine;

public sealed class OutboxTests : IDisposable
{
    private static readonly DateTimeOffset Start = new(2026, 6, 1, 10, 0, 0, TimeSpan.Zero);
    private static readonly ChannelTarget Console = new("console", "console");
    private readonly TestFolder _folder = new();

    public void Dispose() => _folder.Dispose();

    private static OutgoingContent Text(string text) => new() { Text = text };

    [Fact]
    public async Task TransientFailure_IsRetriedAfterItsRetryAfter_ThenDelivered()
    {
        var time = new FakeTimeProvider(Start);
        await using var engine = await new EngineHarness(_folder, time).StartAsync();
        engine.Channel.Script.Enqueue(SendResult.Transient("429 Too Many Requests", TimeSpan.FromSeconds(30)));
        var outbox = engine.Get<Outbox>();

        await outbox.EnqueueAsync("test:1", Text("hello"), [Console], null, null);
        await engine.Sender.DrainAsync(CancellationToken.None);
        var item = (await engine.Store.GetOutboxItemAsync(1))!;
        Assert.Equal(OutboxStatus.Pending, item.Status);
        Assert.Equal(1, item.Attempts);
        Assert.Equal(Start.AddSeconds(30), item.NextAttemptAt);
        Assert.Empty(engine.Channel.Sent);

        time.Advance(TimeSpan.FromSeconds(30));
        await engine.Sender.DrainAsync(CancellationToken.None);
        var delivered = await engine.Store.GetOutboxItemAsync(item.Id);
        Assert.Equal(OutboxStatus.Delivered, delivered!.Status);
        Assert.Equal("1", delivered.MessageId);
        Assert.Single(engine.Channel.Sent);
    }

    [Fact]
    public async Task PermanentFailure_IsRecordedWithItsReason_AndNotRetried()
    {
        await using var engine = await new EngineHarness(_folder, new FakeTimeProvider(Start)).StartAsync();
        engine.Channel.Script.Enqueue(SendResult.Permanent("bot was removed from the chat"));
        var outbox = engine.Get<Outbox>();

        await outbox.EnqueueAsync("test:1", Text("hello"), [Console], null, null);
        await engine.Sender.DrainAsync(CancellationToken.None);
        await engine.Sender.DrainAsync(CancellationToken.None);

        Assert.Equal(1, engine.Channel.Attempts);
        Assert.Null(await engine.Store.NextDueAtAsync(["console"]));
        var item = (await engine.Store.GetOutboxItemAsync(1))!;
        Assert.Equal(OutboxStatus.Failed, item.Status);
        Assert.Equal("bot was removed from the chat", item.LastError);
    }

    [Fact]
    public async Task SameKeyEnqueuedTwice_IsSentOnce()
    {
        await using var engine = await new EngineHarness(_folder, new FakeTimeProvider(Start)).StartAsync();
        var outbox = engine.Get<Outbox>();

        Assert.Equal(1, await outbox.EnqueueAsync("exec:1:output", Text("hello"), [Console], null, null));
        Assert.Equal(0, await outbox.EnqueueAsync("exec:1:output", Text("hello"), [Console], null, null));
        await engine.Sender.DrainAsync(CancellationToken.None);

        Assert.Single(engine.Channel.Sent);
    }

    [Fact]
    public async Task CrashBetweenSendAndRecord_ResendsWithTheSameKey_AndThePlatformPostsOnce()
    {
        var time = new FakeTimeProvider(Start);
        var channel = new RecordingChannel();
        OutboxItem item;
        await using (var first = await new EngineHarness(_folder, time, channel: channel).StartAsync())
        {
            await first.Get<Outbox>().EnqueueAsync("exec:1:output", Text("hello"), [Console], null, null);
            item = (await first.Store.GetOutboxItemAsync(1))!;
            // The send reached the platform, then the process died before recording it.
            await channel.SendAsync(Console, new OutboundPart { Text = "hello" }, item.IdempotencyKey, CancellationToken.None);
        }

        await using var engine = await new EngineHarness(_folder, time, channel: channel).StartAsync();
        await engine.Sender.DrainAsync(CancellationToken.None);

        Assert.Single(channel.Sent);
        var delivered = (await engine.Store.GetOutboxItemAsync(item.Id))!;
        Assert.Equal(OutboxStatus.Delivered, delivered.Status);
        Assert.Equal(channel.Sent.Single().MessageId, delivered.MessageId);
    }

    [Fact]
    public async Task MessagesToOneChat_KeepTheirOrder_WhenTheFirstMustBeRetried()
    {
        var time = new FakeTimeProvider(Start);
        await using var engine = await new EngineHarness(_folder, time).StartAsync();
        engine.Channel.Script.Enqueue(SendResult.Transient("502 Bad Gateway"));
        var outbox = engine.Get<Outbox>();

        await outbox.EnqueueAsync("a", Text("first"), [Console], null, null);
        await outbox.EnqueueAsync("b", Text("second"), [Console], null, null);
        await engine.Sender.DrainAsync(CancellationToken.None);
        Assert.Empty(engine.Channel.Sent);

        time.Advance(OutboxSender.Backoff(1));
        await engine.Sender.DrainAsync(CancellationToken.None);
        await engine.Sender.DrainAsync(CancellationToken.None);

        Assert.Equal(["first", "second"], engine.Channel.Texts);
    }

    [Fact]
    public async Task FailedDelivery_ShowsInTheHandsStatus()
    {
        _folder.AddHand("news", "[hand]\n[run]\ncommand = \"echo news\"\n[output]\nchannel = \"console\"\n");
        await using var engine = await new EngineHarness(_folder, new FakeTimeProvider(Start)).StartAsync();
        engine.Channel.Script.Enqueue(SendResult.Permanent("chat not found"));

        await engine.Engine.TriggerAsync("news", new RunRequest(RunTrigger.Manual, "console:local"));
        await engine.SettleAsync();

        var view = (await engine.Engine.GetHandAsync("news"))!;
        Assert.Equal(ExecutionOutcome.Success, view.LastOutcome);
        Assert.Contains(view.RouteProblems, p => p.Contains("console:console", StringComparison.Ordinal) && p.Contains("chat not found", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Sender_DeliversAChatsQueue_AfterItsHeadsRetryTime_WithoutAnyNewEnqueue()
    {
        var time = new FakeTimeProvider(Start);
        await using var engine = await new EngineHarness(_folder, time).StartAsync();
        engine.Channel.Script.Enqueue(SendResult.Transient("429 Too Many Requests", TimeSpan.FromSeconds(30)));
        var delivered = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        engine.Channel.OnSent += _ =>
        {
            if (engine.Channel.Sent.Count == 2) delivered.TrySetResult();
        };
        var outbox = engine.Get<Outbox>();
        await outbox.EnqueueAsync("a", Text("first"), [Console], null, null);
        await outbox.EnqueueAsync("b", Text("second"), [Console], null, null);

        await engine.Sender.StartAsync(CancellationToken.None);
        try
        {
            await EngineHarness.WaitUntilAsync(() => engine.Channel.Attempts == 1, "the first attempt");
            // Time passes in steps, as it does; nothing else wakes the sender.
            while (!delivered.Task.IsCompleted && time.GetUtcNow() < Start.AddMinutes(5))
            {
                time.Advance(TimeSpan.FromSeconds(1));
                await Task.WhenAny(delivered.Task, Task.Delay(10));
            }
            await delivered.Task.WaitAsync(TimeSpan.FromSeconds(30));
            Assert.Equal(["first", "second"], engine.Channel.Texts);
        }
        finally
        {
            await engine.Sender.StopAsync(CancellationToken.None);
        }
    }
}
