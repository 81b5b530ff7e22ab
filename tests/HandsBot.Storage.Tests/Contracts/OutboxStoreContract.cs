using HandsBot.Core.Model;
using HandsBot.Core.Storage;
using HandsBot.Storage.Tests.Fixtures;

namespace HandsBot.Storage.Tests.Contracts;

/// <summary>The outbox: per-chat order, claims with tokens, completions, approval requests, problems and backlog.</summary>
public abstract class OutboxStoreContract(IStoreFixture fixture) : StoreContract(fixture)
{
    private static readonly string[] AllPlatforms = ["telegram", "discord", "console"];

    private OutboxClaim Claim(string owner = "s1", int limit = 100, params string[] platforms) =>
        new(owner, Now, Now + Lease, limit, platforms.Length == 0 ? AllPlatforms : platforms);

    private Task<IReadOnlyList<OutboxItem>> ClaimAsync(string owner = "s1", int limit = 100, params string[] platforms) =>
        Store.ClaimDueAsync(Claim(owner, limit, platforms));

    private Task<bool> CompleteAsync(OutboxItem claimed, DeliveryResultKind kind, string? messageId = null, string? error = null, DateTimeOffset? next = null) =>
        Store.CompleteDeliveryAsync(new DeliveryCompletion(claimed.Id, claimed.ClaimToken, kind, Now) { MessageId = messageId, Error = error, NextAttemptAt = next });

    private async Task EnqueueAsync(params OutboxItem[] items) => Assert.Equal(items.Length, await Store.EnqueueAsync(items));

    [Fact]
    public async Task Enqueue_RoundTripsEveryField()
    {
        var item = new OutboxItem
        {
            IdempotencyKey = "exec-1:telegram:100:0",
            Platform = "telegram",
            ChatId = "-1001234",
            ThreadId = "42",
            Kind = OutboxKind.Edit,
            PayloadJson = """{"text":"<b>hi</b> ✓"}""",
            EditMessageId = "777",
            Status = OutboxStatus.Delivered,
            Attempts = 3,
            CreatedAt = Rows.T0,
            NextAttemptAt = Rows.T0.AddSeconds(5),
            DeliveredAt = Rows.T0.AddSeconds(6),
            MessageId = "778",
            LastError = "429",
            ExecutionId = "exec-1",
            ApprovalId = "appr-1",
            IsApprovalRequest = true,
        };

        Assert.Equal(1, await Store.EnqueueAsync([item]));

        var stored = Assert.Single(await Store.ListOutboxForExecutionAsync("exec-1"));
        Assert.True(stored.Id > 0);
        Assert.Equal(item with { Id = stored.Id }, stored);
        Assert.Equal(stored, await Store.GetOutboxItemAsync(stored.Id));
    }

    [Fact]
    public async Task Enqueue_AddsOnlyNewKeys_AndLeavesExistingItemsAlone()
    {
        await EnqueueAsync(Rows.Message("k1", executionId: "e1"));
        var before = Assert.Single(await Store.ListOutboxForExecutionAsync("e1"));

        var added = await Store.EnqueueAsync([Rows.Message("k1", chat: "999", executionId: "e1") with { PayloadJson = "{}" }, Rows.Message("k2", executionId: "e1")]);

        Assert.Equal(1, added);
        Assert.Equal(0, await Store.EnqueueAsync([]));
        var items = await Store.ListOutboxForExecutionAsync("e1");
        Assert.Equal(before, items[0]);
        Assert.Equal(["k1", "k2"], items.Select(i => i.IdempotencyKey));
    }

    [Fact]
    public async Task Enqueue_AssignsIncreasingIds_InEnqueueOrder()
    {
        await EnqueueAsync(Rows.Message("c", executionId: "e1"), Rows.Message("a", executionId: "e1"));
        await EnqueueAsync(Rows.Message("b", executionId: "e1"));

        var items = await Store.ListOutboxForExecutionAsync("e1");

        Assert.Equal(["c", "a", "b"], items.Select(i => i.IdempotencyKey));
        Assert.True(items[0].Id < items[1].Id && items[1].Id < items[2].Id);
    }

    [Fact]
    public async Task Enqueue_StoresOneItem_WhenManyEnqueueTheSameKeyAtOnce()
    {
        var peer = await Fixture.OpenPeerAsync();

        var added = await RaceAsync(20, i => (i % 2 == 0 ? Store : peer).EnqueueAsync([Rows.Message("same") with { PayloadJson = $$"""{"n":{{i}}}""" }]));

        Assert.Equal(1, added.Sum());
        Assert.Equal(1, await CountAsync("outbox"));
    }

    [Fact]
    public async Task ClaimDue_ClaimsTheFirstPendingItemOfEachChat_OldestFirst()
    {
        await EnqueueAsync(Rows.Message("A-1", chat: "A"), Rows.Message("B-1", chat: "B"), Rows.Message("A-2", chat: "A"), Rows.Message("B-2", chat: "B"));

        var claimed = await ClaimAsync("s1");

        Assert.Equal(["A-1", "B-1"], claimed.Select(i => i.IdempotencyKey));
        Assert.All(claimed, i =>
        {
            Assert.Equal("s1", i.ClaimedBy);
            Assert.Equal(Now + Lease, i.ClaimUntil);
            Assert.Equal(OutboxStatus.Pending, i.Status);
        });
        Assert.Equal(claimed[0], await Store.GetOutboxItemAsync(claimed[0].Id));
    }

    [Fact]
    public async Task ClaimDue_TreatsThreadsAndPlatformsAsSeparateChats()
    {
        await EnqueueAsync(
            Rows.Message("main-1", chat: "A", nextAttemptAt: Rows.T0.AddMinutes(1)),
            Rows.Message("main-2", chat: "A"),
            Rows.Message("t7-1", chat: "A", thread: "7"),
            Rows.Message("t7-2", chat: "A", thread: "7"),
            Rows.Message("discord-1", chat: "A", platform: "discord"));

        var claimed = await ClaimAsync();

        Assert.Equal(["t7-1", "discord-1"], claimed.Select(i => i.IdempotencyKey));
    }

    [Fact]
    public async Task ClaimDue_ReturnsOldestFirst_UpToTheLimit()
    {
        for (var i = 0; i < 5; i++)
        {
            await EnqueueAsync(Rows.Message($"k{i}", chat: $"chat{i}"));
        }

        Assert.Equal(["k0", "k1", "k2"], (await ClaimAsync(limit: 3)).Select(i => i.IdempotencyKey));
        Assert.Equal(["k3", "k4"], (await ClaimAsync(limit: 3)).Select(i => i.IdempotencyKey));
    }

    [Fact]
    public async Task ClaimDue_LeavesItemsForPlatformsNotInTheClaim()
    {
        await EnqueueAsync(Rows.Message("tg", platform: "telegram"), Rows.Message("dc", platform: "discord"), Rows.Message("con", platform: "console"));

        var none = await Store.ClaimDueAsync(new OutboxClaim("s0", Now, Now + Lease, 10, []));
        var discord = await ClaimAsync("s1", 10, "discord");
        var rest = await ClaimAsync("s2", 10, "telegram", "console");

        Assert.Empty(none);
        Assert.Equal(["dc"], discord.Select(i => i.IdempotencyKey));
        Assert.Equal(["tg", "con"], rest.Select(i => i.IdempotencyKey));
    }

    [Fact]
    public async Task ClaimDue_BlocksTheChat_WhileItsHeadIsClaimed()
    {
        await EnqueueAsync(Rows.Message("A-1", chat: "A"), Rows.Message("A-2", chat: "A"), Rows.Message("B-1", chat: "B"));
        var first = await ClaimAsync("s1", 1);
        Time.Advance(Lease - TimeSpan.FromMilliseconds(1));

        var second = await ClaimAsync("s2");

        Assert.Equal(["A-1"], first.Select(i => i.IdempotencyKey));
        Assert.Equal(["B-1"], second.Select(i => i.IdempotencyKey));
        Assert.Equal("s1", (await Store.GetOutboxItemAsync(first[0].Id))!.ClaimedBy);
    }

    [Fact]
    public async Task ClaimDue_BlocksTheChat_UntilItsHeadIsDue()
    {
        await EnqueueAsync(Rows.Message("A-1", chat: "A"), Rows.Message("A-2", chat: "A"), Rows.Message("B-1", chat: "B", nextAttemptAt: Rows.T0.AddSeconds(30)));
        var head = Assert.Single(await ClaimAsync());
        Assert.True(await CompleteAsync(head, DeliveryResultKind.Retry, error: "429 retry after 30", next: Now.AddSeconds(30)));

        Time.Advance(TimeSpan.FromSeconds(29));
        var whileWaiting = await ClaimAsync();
        Time.Advance(TimeSpan.FromSeconds(1));
        var afterWait = await ClaimAsync();

        Assert.Empty(whileWaiting);
        Assert.Equal(["A-1", "B-1"], afterWait.Select(i => i.IdempotencyKey));
    }

    [Fact]
    public async Task ClaimDue_TakesOverAnExpiredClaim_WithANewToken()
    {
        await EnqueueAsync(Rows.Message("k1"));
        var first = Assert.Single(await ClaimAsync("s1"));
        Time.Advance(Lease);

        var second = Assert.Single(await ClaimAsync("s2"));

        Assert.Equal(first.Id, second.Id);
        Assert.Equal("s2", second.ClaimedBy);
        Assert.NotEqual(first.ClaimToken, second.ClaimToken);
        Assert.Equal(1, second.Takeovers);
        Assert.False(await CompleteAsync(first, DeliveryResultKind.Delivered, "m-late"));
        Assert.True(await CompleteAsync(second, DeliveryResultKind.Delivered, "m-2"));
        Assert.Equal("m-2", (await Store.GetOutboxItemAsync(first.Id))!.MessageId);
    }

    [Fact]
    public async Task ClaimDue_DeliversEveryItemOnceAndInChatOrder_WhenManySendersRace()
    {
        const int chats = 12;
        const int perChat = 4;
        for (var n = 0; n < perChat; n++)
        {
            await EnqueueAsync([.. Enumerable.Range(0, chats).Select(c => Rows.Message($"c{c}-{n}", chat: $"chat{c}"))]);
        }

        var peer = await Fixture.OpenPeerAsync();
        var sequence = 0;
        var claims = new System.Collections.Concurrent.ConcurrentBag<(OutboxItem Item, int Seq)>();
        await RaceAsync(8, async i =>
        {
            var store = i % 2 == 0 ? Store : peer;
            var idle = 0;
            while (idle < 3)
            {
                var claimed = await store.ClaimDueAsync(new OutboxClaim($"s{i}", Rows.T0, Rows.T0 + Lease, 2, AllPlatforms));
                // Numbered when claimed: a chat's next item is claimable only after this one is completed.
                foreach (var item in claimed)
                {
                    claims.Add((item, Interlocked.Increment(ref sequence)));
                }

                foreach (var item in claimed)
                {
                    Assert.True(await store.CompleteDeliveryAsync(new DeliveryCompletion(item.Id, item.ClaimToken, DeliveryResultKind.Delivered, Rows.T0) { MessageId = $"m{item.Id}" }));
                }

                idle = claimed.Count == 0 ? idle + 1 : 0;
            }

            return 0;
        });

        Assert.Equal(chats * perChat, claims.Count);
        Assert.Equal(chats * perChat, claims.Select(c => c.Item.Id).Distinct().Count());
        foreach (var chat in claims.GroupBy(c => c.Item.ChatId))
        {
            Assert.Equal(chat.OrderBy(c => c.Item.Id).Select(c => c.Item.Id), chat.OrderBy(c => c.Seq).Select(c => c.Item.Id));
        }

        Assert.Equal(0, (await Store.GetBacklogAsync(Now)).Pending);
    }

    [Fact]
    public async Task CompleteDelivery_Delivered_RecordsTheMessageIdAndFreesTheChat()
    {
        await EnqueueAsync(Rows.Message("A-1", chat: "A"), Rows.Message("A-2", chat: "A"));
        var head = Assert.Single(await ClaimAsync());
        Time.Advance(TimeSpan.FromSeconds(2));

        Assert.True(await CompleteAsync(head, DeliveryResultKind.Delivered, "msg-9"));

        var item = (await Store.GetOutboxItemAsync(head.Id))!;
        Assert.Equal(OutboxStatus.Delivered, item.Status);
        Assert.Equal("msg-9", item.MessageId);
        Assert.Equal(Now, item.DeliveredAt);
        Assert.Equal(1, item.Attempts);
        Assert.Null(item.ClaimedBy);
        Assert.Equal(["A-2"], (await ClaimAsync()).Select(i => i.IdempotencyKey));
    }

    [Fact]
    public async Task CompleteDelivery_Retry_CountsTheAttemptAndWaits()
    {
        await EnqueueAsync(Rows.Message("k1"));
        var claimed = Assert.Single(await ClaimAsync());
        Assert.True(await CompleteAsync(claimed, DeliveryResultKind.Retry, error: "timeout", next: Now.AddSeconds(2)));
        Time.Advance(TimeSpan.FromSeconds(2));
        var again = Assert.Single(await ClaimAsync());

        Assert.True(await CompleteAsync(again, DeliveryResultKind.Retry, error: "502 bad gateway", next: Now.AddSeconds(8)));

        var item = (await Store.GetOutboxItemAsync(claimed.Id))!;
        Assert.Equal(OutboxStatus.Pending, item.Status);
        Assert.Equal(2, item.Attempts);
        Assert.Equal("502 bad gateway", item.LastError);
        Assert.Equal(Now.AddSeconds(8), item.NextAttemptAt);
        Assert.Null(item.DeliveredAt);
        Assert.Null(item.ClaimedBy);
        Assert.Empty(await ClaimAsync());
    }

    [Fact]
    public async Task CompleteDelivery_Failed_EndsTheItemAndFreesTheChat()
    {
        await EnqueueAsync(Rows.Message("A-1", chat: "A"), Rows.Message("A-2", chat: "A"));
        var head = Assert.Single(await ClaimAsync());

        Assert.True(await CompleteAsync(head, DeliveryResultKind.Failed, error: "400 chat not found"));

        var item = (await Store.GetOutboxItemAsync(head.Id))!;
        Assert.Equal(OutboxStatus.Failed, item.Status);
        Assert.Equal("400 chat not found", item.LastError);
        Assert.Equal(1, item.Attempts);
        Assert.Null(item.MessageId);
        Assert.Equal(["A-2"], (await ClaimAsync()).Select(i => i.IdempotencyKey));
    }

    [Fact]
    public async Task CompleteDelivery_Release_HandsTheItemBackUntouched()
    {
        await EnqueueAsync(Rows.Message("A-1", chat: "A", nextAttemptAt: Rows.T0), Rows.Message("A-2", chat: "A"));
        var head = Assert.Single(await ClaimAsync("s1"));
        Time.Advance(TimeSpan.FromSeconds(1));

        Assert.True(await CompleteAsync(head, DeliveryResultKind.Release));

        var item = (await Store.GetOutboxItemAsync(head.Id))!;
        Assert.Equal(OutboxStatus.Pending, item.Status);
        Assert.Equal(0, item.Attempts);
        Assert.Equal(Rows.T0, item.NextAttemptAt);
        Assert.Null(item.LastError);
        Assert.Null(item.ClaimedBy);
        Assert.Null(item.ClaimUntil);
        var reclaimed = Assert.Single(await ClaimAsync("s2"));
        Assert.Equal(head.Id, reclaimed.Id);
    }

    [Theory]
    [InlineData(DeliveryResultKind.Delivered)]
    [InlineData(DeliveryResultKind.Retry)]
    [InlineData(DeliveryResultKind.Failed)]
    [InlineData(DeliveryResultKind.Release)]
    public async Task CompleteDelivery_IsRefusedAndWritesNothing_WhenTheClaimTokenIsStale(DeliveryResultKind kind)
    {
        await EnqueueAsync(Rows.Message("k1"));
        var first = Assert.Single(await ClaimAsync("s1"));
        Time.Advance(Lease);
        var second = Assert.Single(await ClaimAsync("s2"));

        Assert.False(await CompleteAsync(first, kind, "m-stale", "stale", Now.AddHours(1)));
        Assert.False(await Store.CompleteDeliveryAsync(new DeliveryCompletion(404, 1, kind, Now) { MessageId = "m" }));

        Assert.Equal(second, await Store.GetOutboxItemAsync(first.Id));
    }

    [Fact]
    public async Task CompleteDelivery_IsRefused_WhenTheItemWasAlreadyCompleted()
    {
        await EnqueueAsync(Rows.Message("k1"));
        var claimed = Assert.Single(await ClaimAsync());
        Assert.True(await CompleteAsync(claimed, DeliveryResultKind.Delivered, "m1"));
        var delivered = await Store.GetOutboxItemAsync(claimed.Id);

        Assert.False(await CompleteAsync(claimed, DeliveryResultKind.Failed, error: "late"));
        Assert.False(await CompleteAsync(claimed, DeliveryResultKind.Delivered, "m2"));

        Assert.Equal(delivered, await Store.GetOutboxItemAsync(claimed.Id));
    }

    [Fact]
    public async Task CompleteDelivery_RecordsTheApprovalMessage_WhenAnApprovalRequestIsDelivered()
    {
        await WaitForApprovalAsync("r1", [Rows.Approval("a1", "r1")]);
        await EnqueueAsync(
            Rows.Request("a1", "telegram", "100") with { ThreadId = "7" },
            Rows.Message("a1-not-a-request", chat: "200") with { ApprovalId = "a1" },
            Rows.Request("a1", "discord", "300"));
        var claimed = await ClaimAsync();

        Assert.True(await CompleteAsync(claimed[0], DeliveryResultKind.Delivered, "501"));
        Assert.True(await CompleteAsync(claimed[1], DeliveryResultKind.Delivered, "502"));
        Assert.True(await CompleteAsync(claimed[2], DeliveryResultKind.Failed, error: "403"));

        Assert.Equal([new ApprovalMessage("a1", "telegram", "100", "7", "501")], await Store.ListApprovalMessagesAsync("a1"));
        Assert.Equal(0, await CountAsync("outbox", "kind = 'edit'"));
    }

    [Fact]
    public async Task CompleteDelivery_QueuesTheDecidedEdit_WhenTheRequestIsDeliveredAfterTheDecision()
    {
        await WaitForApprovalAsync("r1", [Rows.Approval("a1", "r1")]);
        await EnqueueAsync(Rows.Request("a1", "telegram", "100"), Rows.Request("a1", "console", "local"));
        var claimed = await ClaimAsync();
        Assert.True(await Store.DecideApprovalAsync(new ApprovalDecision
        {
            ApprovalId = "a1",
            Status = ApprovalStatus.Rejected,
            DecidedBy = "discord:7",
            At = Now,
            DecidedPayloads = new Dictionary<string, string> { ["telegram"] = """{"text":"rejected"}""" },
        }));
        Assert.Equal(0, await CountAsync("outbox", "kind = 'edit'"));

        Assert.True(await CompleteAsync(claimed[0], DeliveryResultKind.Delivered, "501"));
        Assert.True(await CompleteAsync(claimed[1], DeliveryResultKind.Delivered, "c1"));

        var edit = Assert.Single(await ClaimAsync());
        Assert.Equal(OutboxKind.Edit, edit.Kind);
        Assert.Equal("telegram", edit.Platform);
        Assert.Equal("100", edit.ChatId);
        Assert.Equal("501", edit.EditMessageId);
        Assert.Equal("""{"text":"rejected"}""", edit.PayloadJson);
        Assert.Equal(2, (await Store.ListApprovalMessagesAsync("a1")).Count);
    }

    [Fact]
    public async Task CompleteDelivery_AndTheDecision_QueueExactlyOneEdit_WhenTheyRace()
    {
        // Whichever commits second sees the other's row: the decision sees the recorded message, or the
        // delivery sees the decision. Either way the message is edited once.
        const int approvals = 10;
        await WaitForApprovalAsync("r1", [.. Enumerable.Range(0, approvals).Select(i => Rows.Approval($"a{i}", "r1"))]);
        await EnqueueAsync([.. Enumerable.Range(0, approvals).Select(i => Rows.Request($"a{i}", "telegram", $"chat{i}"))]);
        var claimed = await ClaimAsync();
        Assert.Equal(approvals, claimed.Count);
        var peer = await Fixture.OpenPeerAsync();

        await RaceAsync(approvals * 2, async i =>
        {
            var item = claimed[i / 2];
            return i % 2 == 0
                ? await Store.CompleteDeliveryAsync(new DeliveryCompletion(item.Id, item.ClaimToken, DeliveryResultKind.Delivered, Now) { MessageId = "m" + item.ApprovalId })
                : await peer.DecideApprovalAsync(new ApprovalDecision
                {
                    ApprovalId = item.ApprovalId!,
                    Status = ApprovalStatus.Approved,
                    DecidedBy = "telegram:1",
                    At = Now,
                    DecidedPayloads = new Dictionary<string, string> { ["telegram"] = "{}" },
                });
        });

        for (var i = 0; i < approvals; i++)
        {
            Assert.Equal(1, await CountAsync("outbox", $"kind = 'edit' AND approval_id = 'a{i}' AND edit_message_id = 'ma{i}'"));
        }
    }

    [Fact]
    public async Task ReleaseClaims_FreesOneOwnersClaims()
    {
        await EnqueueAsync(Rows.Message("A", chat: "A"), Rows.Message("B", chat: "B"), Rows.Message("C", chat: "C"));
        var mine = await ClaimAsync("gone", 2);
        var theirs = Assert.Single(await ClaimAsync("alive"));
        var owners = await Store.ListClaimOwnersAsync();

        var released = await Store.ReleaseClaimsAsync("gone");

        Assert.Equal(["alive", "gone"], owners.Order(StringComparer.Ordinal));
        Assert.Equal(2, released);
        Assert.Equal(["alive"], await Store.ListClaimOwnersAsync());
        Assert.Equal(mine.Select(i => i.Id), (await ClaimAsync("new")).Select(i => i.Id));
        Assert.Equal("alive", (await Store.GetOutboxItemAsync(theirs.Id))!.ClaimedBy);
        Assert.Equal(0, await Store.ReleaseClaimsAsync("nobody"));
    }

    [Fact]
    public async Task Takeovers_CountReleasedAndExpiredClaims_NotFirstClaimsOrRetries()
    {
        await EnqueueAsync(Rows.Message("A", chat: "A"), Rows.Message("B", chat: "B"));
        var first = await ClaimAsync("gone", 2);
        Assert.All(first, i => Assert.Equal(0, i.Takeovers));

        await Store.ReleaseClaimsAsync("gone");
        var again = await ClaimAsync("new", 2);
        Assert.All(again, i => Assert.Equal(1, i.Takeovers));

        // A retry hands the item back properly: its next claim is no takeover.
        var a = again.Single(i => i.ChatId == "A");
        Assert.True(await Store.CompleteDeliveryAsync(new DeliveryCompletion(a.Id, a.ClaimToken, DeliveryResultKind.Retry, Now) { NextAttemptAt = Now }));
        Assert.Equal(1, (await ClaimAsync("later")).Single(i => i.ChatId == "A").Takeovers);
    }

    [Fact]
    public async Task ListClaimOwners_LeavesOutClaimsOnCompletedItems()
    {
        await EnqueueAsync(Rows.Message("A"));
        var claimed = Assert.Single(await ClaimAsync("s1"));
        await CompleteAsync(claimed, DeliveryResultKind.Delivered, "m");

        Assert.Empty(await Store.ListClaimOwnersAsync());
    }

    [Fact]
    public async Task NextDueAt_IsTheEarliestMomentAChatsHeadBecomesClaimable()
    {
        Assert.Null(await Store.NextDueAtAsync(AllPlatforms));
        await EnqueueAsync(
            Rows.Message("A-1", chat: "A", nextAttemptAt: Rows.T0.AddMinutes(5)),
            Rows.Message("A-2", chat: "A", nextAttemptAt: Rows.T0),
            Rows.Message("B-1", chat: "B", nextAttemptAt: Rows.T0.AddMinutes(2)),
            Rows.Message("D-1", chat: "D", platform: "discord", nextAttemptAt: Rows.T0.AddMinutes(1)),
            Rows.Message("done", chat: "C") with { Status = OutboxStatus.Delivered });

        Assert.Equal(Rows.T0.AddMinutes(2), await Store.NextDueAtAsync(["telegram"]));
        Assert.Equal(Rows.T0.AddMinutes(1), await Store.NextDueAtAsync(AllPlatforms));
        Assert.Null(await Store.NextDueAtAsync(["console"]));
        Assert.Null(await Store.NextDueAtAsync([]));
    }

    [Fact]
    public async Task NextDueAt_CountsAClaimedHeadAtTheEndOfItsClaim()
    {
        await EnqueueAsync(Rows.Message("A-1", chat: "A"));
        Assert.Single(await ClaimAsync("s1"));

        Assert.Equal(Now + Lease, await Store.NextDueAtAsync(AllPlatforms));
    }

    [Fact]
    public async Task ListOutboxForExecution_ReturnsOnlyThatRunsItems_InIdOrder()
    {
        await EnqueueAsync(
            Rows.Message("e1-a", executionId: "e1"),
            Rows.Message("e2-a", executionId: "e2"),
            Rows.Message("none", executionId: null),
            Rows.Message("e1-b", executionId: "e1"));

        Assert.Equal(["e1-a", "e1-b"], (await Store.ListOutboxForExecutionAsync("e1")).Select(i => i.IdempotencyKey));
        Assert.Empty(await Store.ListOutboxForExecutionAsync("ghost"));
        Assert.Null(await Store.GetOutboxItemAsync(404));
    }

    [Fact]
    public async Task ListDeliveryProblems_ReportsAFailedDelivery()
    {
        Time.Advance(TimeSpan.FromSeconds(5));
        await DeliverAsync("k1", Rows.Hand, "100", DeliveryResultKind.Failed, "403 bot was kicked", thread: "7");

        var problem = Assert.Single(await Store.ListDeliveryProblemsAsync(null, 10));

        Assert.Equal(new DeliveryProblem(Rows.Hand, "telegram", "100", "7", "403 bot was kicked", Now, "run-k1"), problem);
        Assert.Equal("telegram:100:7", problem.Target);
    }

    [Fact]
    public async Task ListDeliveryProblems_ForgetsAFailure_WhenALaterDeliveryToThatTargetForThatHandSucceeds()
    {
        await DeliverAsync("k1", Rows.Hand, "100", DeliveryResultKind.Failed, "403");
        await DeliverAsync("k2", Rows.Hand, "200", DeliveryResultKind.Delivered);
        await DeliverAsync("k3", "sentinel", "100", DeliveryResultKind.Delivered);
        await DeliverAsync("k4", Rows.Hand, "100", DeliveryResultKind.Delivered, thread: "7");
        var stillFailing = await Store.ListDeliveryProblemsAsync(null, 10);

        await DeliverAsync("k5", Rows.Hand, "100", DeliveryResultKind.Delivered);

        Assert.Equal(["run-k1"], stillFailing.Select(p => p.ExecutionId));
        Assert.Empty(await Store.ListDeliveryProblemsAsync(null, 10));
    }

    [Fact]
    public async Task ListDeliveryProblems_ReportsTheLastFailurePerHandAndTarget_NewestFirst()
    {
        await DeliverAsync("k1", Rows.Hand, "100", DeliveryResultKind.Failed, "first");
        await DeliverAsync("k2", "sentinel", "100", DeliveryResultKind.Failed, "sentinel's");
        await DeliverAsync("k3", Rows.Hand, "200", DeliveryResultKind.Failed, "other chat");
        await DeliverAsync("k4", Rows.Hand, "100", DeliveryResultKind.Failed, "second");

        var all = await Store.ListDeliveryProblemsAsync(null, 10);
        var oracle = await Store.ListDeliveryProblemsAsync(Rows.Hand, 10);
        var newest = await Store.ListDeliveryProblemsAsync(null, 2);

        Assert.Equal(["second", "other chat", "sentinel's"], all.Select(p => p.Error));
        Assert.Equal(["second", "other chat"], oracle.Select(p => p.Error));
        Assert.Equal(["second", "other chat"], newest.Select(p => p.Error));
    }

    [Fact]
    public async Task ListDeliveryProblems_ReportsEveryTarget_WhenOneTargetFailedManyTimes()
    {
        await DeliverAsync("old", Rows.Hand, "200", DeliveryResultKind.Failed, "other chat");
        // A chat the bot was removed from fails every run: its failures must not hide the other target's.
        for (var i = 0; i < 40; i++)
        {
            await DeliverAsync($"k{i}", Rows.Hand, "100", DeliveryResultKind.Failed, $"403 #{i}");
        }

        var problems = await Store.ListDeliveryProblemsAsync(null, 2);

        Assert.Equal(["403 #39", "other chat"], problems.Select(p => p.Error));
    }

    [Fact]
    public async Task ListDeliveryProblems_LeavesOutPendingAndRetriedItems()
    {
        await DeliverAsync("k1", Rows.Hand, "100", DeliveryResultKind.Retry, "timeout");
        await EnqueueAsync(Rows.Message("k2", chat: "200", executionId: "run-k1"));

        Assert.Empty(await Store.ListDeliveryProblemsAsync(null, 10));
    }

    [Fact]
    public async Task GetBacklog_CountsPendingItemsByPlatform_AndTheOldestsAge()
    {
        Assert.Equal((0, TimeSpan.Zero, 0), Summary(await Store.GetBacklogAsync(Now)));
        await EnqueueAsync(
            Rows.Message("tg-1", chat: "A") with { CreatedAt = Rows.T0.AddMinutes(-10) },
            Rows.Message("tg-2", chat: "A"),
            Rows.Message("dc-1", platform: "discord") with { CreatedAt = Rows.T0.AddMinutes(-3) },
            Rows.Message("done", chat: "B") with { Status = OutboxStatus.Delivered, CreatedAt = Rows.T0.AddHours(-1) },
            Rows.Message("failed", chat: "C") with { Status = OutboxStatus.Failed, CreatedAt = Rows.T0.AddHours(-1) });

        var backlog = await Store.GetBacklogAsync(Rows.T0);

        Assert.Equal(3, backlog.Pending);
        Assert.Equal(TimeSpan.FromMinutes(10), backlog.OldestAge);
        Assert.Equal(new Dictionary<string, int> { ["telegram"] = 2, ["discord"] = 1 }, backlog.PendingByPlatform);
    }

    private static (int, TimeSpan, int) Summary(OutboxBacklog backlog) => (backlog.Pending, backlog.OldestAge, backlog.PendingByPlatform.Count);

    /// <summary>Runs one message for <paramref name="hand"/> (its run "run-key") through a delivery that ends as <paramref name="kind"/>.</summary>
    private async Task DeliverAsync(string key, string hand, string chat, DeliveryResultKind kind, string? error = null, string? thread = null)
    {
        var run = "run-" + key;
        if (await Store.GetExecutionAsync(run) is null)
        {
            await Store.InsertExecutionAsync(Rows.FullRecord(run) with { Hand = hand, ApprovalId = null, DeliveryId = null, ScheduledFor = null });
        }

        await EnqueueAsync(Rows.Message(key, chat, thread: thread, executionId: run));
        var claimed = Assert.Single(await ClaimAsync(), i => i.IdempotencyKey == key);
        Assert.True(await CompleteAsync(claimed, kind, "m-" + key, error, Now.AddMinutes(1)));
    }
}
