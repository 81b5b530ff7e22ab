using HandsBot.Core.Storage;
using HandsBot.Storage.Sqlite.Tests.Support;

namespace HandsBot.Storage.Sqlite.Tests;

public sealed class OutboxStoreTests
{
    [Fact]
    public async Task EnqueueAsync_RoundTripsEveryField()
    {
        var (db, store) = await TempDatabase.CreateMigratedAsync();
        await using var _ = db;
        var item = new OutboxItem
        {
            IdempotencyKey = "exec-1:telegram:100:0",
            Platform = "telegram",
            ChatId = "-1001234",
            ThreadId = "42",
            Kind = OutboxKind.Edit,
            PayloadJson = """{"text":"<b>hi</b>"}""",
            EditMessageId = "777",
            Status = OutboxStatus.Delivered,
            Attempts = 3,
            CreatedAt = Samples.T0,
            NextAttemptAt = Samples.T0.AddSeconds(5),
            DeliveredAt = Samples.T0.AddSeconds(6),
            MessageId = "778",
            LastError = "429",
            ExecutionId = "exec-1",
            ApprovalId = "appr-1",
        };

        Assert.True(await store.EnqueueAsync(item));
        var stored = Assert.Single(await store.ListOutboxForExecutionAsync("exec-1"));

        Assert.True(stored.Id > 0);
        Assert.Equal(item with { Id = stored.Id }, stored);
        Assert.Equal(stored, await store.GetOutboxItemAsync(stored.Id));
    }

    [Fact]
    public async Task EnqueueAsync_ReturnsFalseAndChangesNothing_WhenKeyExists()
    {
        var (db, store) = await TempDatabase.CreateMigratedAsync();
        await using var _ = db;
        Assert.True(await store.EnqueueAsync(Samples.Outbox("k1")));
        var before = Assert.Single(await store.ListOutboxForExecutionAsync("exec-1"));

        var again = await store.EnqueueAsync(Samples.Outbox("k1", chat: "999") with { PayloadJson = "{}", NextAttemptAt = Samples.T0.AddDays(1) });

        Assert.False(again);
        Assert.Equal(before, Assert.Single(await store.ListOutboxForExecutionAsync("exec-1")));
        Assert.Equal(1L, db.Scalar("SELECT count(*) FROM outbox;"));
    }

    [Fact]
    public async Task EnqueueAsync_AssignsIncreasingIds()
    {
        var (db, store) = await TempDatabase.CreateMigratedAsync();
        await using var _ = db;
        foreach (var key in new[] { "a", "b", "c" })
        {
            await store.EnqueueAsync(Samples.Outbox(key));
        }

        var items = await store.ListOutboxForExecutionAsync("exec-1");

        Assert.Equal(["a", "b", "c"], items.Select(i => i.IdempotencyKey));
        Assert.True(items[0].Id < items[1].Id && items[1].Id < items[2].Id);
    }

    [Fact]
    public async Task ListDueAsync_ReturnsOnlyTheOldestPendingItemPerChat()
    {
        var (db, store) = await TempDatabase.CreateMigratedAsync();
        await using var _ = db;
        await store.EnqueueAsync(Samples.Outbox("chatA-1", chat: "A"));
        await store.EnqueueAsync(Samples.Outbox("chatB-1", chat: "B"));
        await store.EnqueueAsync(Samples.Outbox("chatA-2", chat: "A"));
        await store.EnqueueAsync(Samples.Outbox("chatB-2", chat: "B"));

        var due = await store.ListDueAsync(Samples.T0, 10);

        Assert.Equal(["chatA-1", "chatB-1"], due.Select(i => i.IdempotencyKey));
    }

    [Fact]
    public async Task ListDueAsync_AdvancesToNextItem_WhenHeadIsDeliveredOrFailed()
    {
        var (db, store) = await TempDatabase.CreateMigratedAsync();
        await using var _ = db;
        foreach (var key in new[] { "1", "2", "3" })
        {
            await store.EnqueueAsync(Samples.Outbox(key));
        }

        var first = Assert.Single(await store.ListDueAsync(Samples.T0, 10));
        await store.MarkDeliveredAsync(first.Id, "m1", Samples.T0);
        var second = Assert.Single(await store.ListDueAsync(Samples.T0, 10));
        await store.MarkFailedAsync(second.Id, "403 forbidden", Samples.T0);
        var third = Assert.Single(await store.ListDueAsync(Samples.T0, 10));
        await store.MarkDeliveredAsync(third.Id, "m3", Samples.T0);

        Assert.Equal(["1", "2", "3"], new[] { first, second, third }.Select(i => i.IdempotencyKey));
        Assert.Empty(await store.ListDueAsync(Samples.T0, 10));
    }

    [Fact]
    public async Task ListDueAsync_RetryingItemBlocksItsChatButNotOthers()
    {
        var (db, store) = await TempDatabase.CreateMigratedAsync();
        await using var _ = db;
        await store.EnqueueAsync(Samples.Outbox("A-1", chat: "A"));
        await store.EnqueueAsync(Samples.Outbox("A-2", chat: "A"));
        await store.EnqueueAsync(Samples.Outbox("B-1", chat: "B"));
        var head = (await store.ListDueAsync(Samples.T0, 10))[0];
        await store.MarkRetryAsync(head.Id, "429 retry after 30", Samples.T0.AddSeconds(30));

        var whileWaiting = await store.ListDueAsync(Samples.T0.AddSeconds(29), 10);
        var afterWait = await store.ListDueAsync(Samples.T0.AddSeconds(30), 10);

        Assert.Equal(["B-1"], whileWaiting.Select(i => i.IdempotencyKey));
        Assert.Equal(["A-1", "B-1"], afterWait.Select(i => i.IdempotencyKey));
    }

    [Fact]
    public async Task ListDueAsync_TreatsThreadsAsSeparateOrderingKeys()
    {
        var (db, store) = await TempDatabase.CreateMigratedAsync();
        await using var _ = db;
        await store.EnqueueAsync(Samples.Outbox("main-1", chat: "A", thread: null, nextAttemptAt: Samples.T0.AddMinutes(1)));
        await store.EnqueueAsync(Samples.Outbox("main-2", chat: "A", thread: null));
        await store.EnqueueAsync(Samples.Outbox("t7-1", chat: "A", thread: "7"));
        await store.EnqueueAsync(Samples.Outbox("t7-2", chat: "A", thread: "7"));
        await store.EnqueueAsync(Samples.Outbox("discord-1", chat: "A") with { Platform = "discord" });

        var due = await store.ListDueAsync(Samples.T0, 10);

        Assert.Equal(["t7-1", "discord-1"], due.Select(i => i.IdempotencyKey));
    }

    [Fact]
    public async Task ListDueAsync_ReturnsOldestFirst_UpToLimit()
    {
        var (db, store) = await TempDatabase.CreateMigratedAsync();
        await using var _ = db;
        for (var i = 0; i < 5; i++)
        {
            await store.EnqueueAsync(Samples.Outbox($"k{i}", chat: $"chat{i}"));
        }

        var due = await store.ListDueAsync(Samples.T0, 3);

        Assert.Equal(["k0", "k1", "k2"], due.Select(i => i.IdempotencyKey));
    }

    [Fact]
    public async Task NextPendingAtAsync_ReturnsEarliestPendingAttempt_OrNullWhenNonePending()
    {
        var (db, store) = await TempDatabase.CreateMigratedAsync();
        await using var _ = db;
        Assert.Null(await store.NextPendingAtAsync());
        await store.EnqueueAsync(Samples.Outbox("late", chat: "A", nextAttemptAt: Samples.T0.AddMinutes(5)));
        await store.EnqueueAsync(Samples.Outbox("soon", chat: "B", nextAttemptAt: Samples.T0.AddMinutes(1)));
        await store.EnqueueAsync(Samples.Outbox("done", chat: "C", nextAttemptAt: Samples.T0) with { Status = OutboxStatus.Delivered });

        var next = await store.NextPendingAtAsync();
        foreach (var item in await store.ListOutboxForExecutionAsync("exec-1"))
        {
            await store.MarkDeliveredAsync(item.Id, "m", Samples.T0);
        }

        Assert.Equal(Samples.T0.AddMinutes(1), next);
        Assert.Null(await store.NextPendingAtAsync());
    }

    [Fact]
    public async Task MarkRetryAsync_IncrementsAttemptsAndKeepsPending()
    {
        var (db, store) = await TempDatabase.CreateMigratedAsync();
        await using var _ = db;
        await store.EnqueueAsync(Samples.Outbox("k1"));
        var id = (await store.ListDueAsync(Samples.T0, 1))[0].Id;

        await store.MarkRetryAsync(id, "timeout", Samples.T0.AddSeconds(2));
        await store.MarkRetryAsync(id, "502 bad gateway", Samples.T0.AddSeconds(8));

        var item = await store.GetOutboxItemAsync(id);
        Assert.Equal(OutboxStatus.Pending, item!.Status);
        Assert.Equal(2, item.Attempts);
        Assert.Equal("502 bad gateway", item.LastError);
        Assert.Equal(Samples.T0.AddSeconds(8), item.NextAttemptAt);
        Assert.Null(item.DeliveredAt);
    }

    [Fact]
    public async Task MarkDeliveredAsync_SetsMessageIdAndTime()
    {
        var (db, store) = await TempDatabase.CreateMigratedAsync();
        await using var _ = db;
        await store.EnqueueAsync(Samples.Outbox("k1"));
        var id = (await store.ListDueAsync(Samples.T0, 1))[0].Id;
        await store.MarkRetryAsync(id, "timeout", Samples.T0);

        await store.MarkDeliveredAsync(id, "msg-9", Samples.T0.AddSeconds(1));

        var item = await store.GetOutboxItemAsync(id);
        Assert.Equal(OutboxStatus.Delivered, item!.Status);
        Assert.Equal("msg-9", item.MessageId);
        Assert.Equal(Samples.T0.AddSeconds(1), item.DeliveredAt);
        Assert.Equal(2, item.Attempts);
    }

    [Fact]
    public async Task MarkFailedAsync_SetsStatusAndError()
    {
        var (db, store) = await TempDatabase.CreateMigratedAsync();
        await using var _ = db;
        await store.EnqueueAsync(Samples.Outbox("k1"));
        var id = (await store.ListDueAsync(Samples.T0, 1))[0].Id;

        await store.MarkFailedAsync(id, "400 chat not found", Samples.T0.AddSeconds(1));

        var item = await store.GetOutboxItemAsync(id);
        Assert.Equal(OutboxStatus.Failed, item!.Status);
        Assert.Equal("400 chat not found", item.LastError);
        Assert.Equal(1, item.Attempts);
        Assert.Null(item.MessageId);
        Assert.Null(await store.NextPendingAtAsync());
    }

    [Fact]
    public async Task MarkMethods_ThrowKeyNotFound_WhenIdIsUnknown()
    {
        var (db, store) = await TempDatabase.CreateMigratedAsync();
        await using var _ = db;

        await Assert.ThrowsAsync<KeyNotFoundException>(() => store.MarkDeliveredAsync(404, "m", Samples.T0));
        await Assert.ThrowsAsync<KeyNotFoundException>(() => store.MarkRetryAsync(404, "e", Samples.T0));
        await Assert.ThrowsAsync<KeyNotFoundException>(() => store.MarkFailedAsync(404, "e", Samples.T0));
        Assert.Null(await store.GetOutboxItemAsync(404));
    }

    [Fact]
    public async Task ListOutboxForExecutionAsync_ReturnsOnlyThatExecutionsItems()
    {
        var (db, store) = await TempDatabase.CreateMigratedAsync();
        await using var _ = db;
        await store.EnqueueAsync(Samples.Outbox("e1-a", executionId: "e1"));
        await store.EnqueueAsync(Samples.Outbox("e2-a", executionId: "e2"));
        await store.EnqueueAsync(Samples.Outbox("none", executionId: null));
        await store.EnqueueAsync(Samples.Outbox("e1-b", executionId: "e1"));

        var keys = (await store.ListOutboxForExecutionAsync("e1")).Select(i => i.IdempotencyKey);

        Assert.Equal(["e1-a", "e1-b"], keys);
    }
}
