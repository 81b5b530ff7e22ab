using System.Globalization;
using HandsBot.Core.Model;
using HandsBot.Core.Storage;
using HandsBot.Storage.Tests.Fixtures;
using Microsoft.Extensions.Time.Testing;

namespace HandsBot.Storage.Tests.Contracts;

/// <summary>
/// The base of every contract class: a fresh store per test from the fixture, and the few arrangements
/// many tests share (a running run, a run waiting for approval). Everything goes through the interfaces.
/// </summary>
public abstract class StoreContract(IStoreFixture fixture) : IAsyncLifetime
{
    /// <summary>How long a claim lasts in these tests.</summary>
    protected static readonly TimeSpan Lease = TimeSpan.FromMinutes(1);

    protected IStoreFixture Fixture { get; } = fixture;

    protected IHandsStore Store { get; private set; } = null!;

    protected FakeTimeProvider Time => Fixture.Time;

    protected DateTimeOffset Now => Time.GetUtcNow();

    public async Task InitializeAsync() => Store = await Fixture.CreateStoreAsync();

    public async Task DisposeAsync() => await Fixture.DisposeAsync();

    /// <summary>Admits one run, requested (and admitted) at its <see cref="ExecutionRecord.RequestedAt"/>.</summary>
    protected Task<AdmitResult> AdmitAsync(ExecutionRecord run, OverlapPolicy? overlap = null) => AdmitOnAsync(Store, run, overlap);

    protected static async Task<AdmitResult> AdmitOnAsync(IRunStore store, ExecutionRecord run, OverlapPolicy? overlap = null) =>
        (await store.AdmitAsync(new AdmissionBatch([new RunAdmission(run, overlap)], run.RequestedAt ?? Rows.T0)))[0];

    protected RunClaim Claim(string owner, int limit = 10) => new(owner, Now, Now + Lease, limit);

    /// <summary>Admits a run (outside any overlap policy) and claims it for <paramref name="owner"/>: a running run.</summary>
    protected async Task<ExecutionRecord> StartAsync(string id, string owner = "w1", string hand = Rows.Hand, DateTimeOffset? requestedAt = null)
    {
        var admitted = await AdmitAsync(Rows.Run(id, hand, requestedAt: requestedAt));
        Assert.Equal(AdmitStatus.Ready, admitted.Status);
        return Assert.Single(await Store.ClaimAsync(Claim(owner) with { OnlyId = id }));
    }

    /// <summary>The finish a worker holding <paramref name="claimed"/> writes (counted as it ended).</summary>
    protected static RunFinish FinishOf(ExecutionRecord claimed, ExecutionOutcome outcome = ExecutionOutcome.Success, DateTimeOffset? at = null) => new()
    {
        Id = claimed.Id,
        Attempt = claimed.Attempt,
        Owner = claimed.Owner!,
        Hand = claimed.Hand,
        Outcome = outcome,
        CompletedAt = at ?? claimed.StartedAt.AddSeconds(5),
        Counted = outcome,
    };

    /// <summary>
    /// A run that ended waiting for approval, with its approvals and a request message per
    /// <paramref name="requestChats"/> ("platform:chat") for each approval, delivered (recorded as the
    /// approval's messages, message id "m-platform-chat-approval").
    /// </summary>
    protected async Task<ExecutionRecord> WaitForApprovalAsync(string runId, IReadOnlyList<ApprovalRecord> approvals, params string[] requestChats)
    {
        var claimed = await StartAsync(runId);
        var requests = approvals
            .SelectMany(a => requestChats.Select(pc => Rows.Request(a.Id, pc.Split(':')[0], pc.Split(':')[1], runId)))
            .ToList();
        Assert.True(await Store.FinishAsync(FinishOf(claimed, ExecutionOutcome.ApprovalPending) with
        {
            Counted = ExecutionOutcome.Success,
            Approvals = approvals,
            Outbox = requests,
        }));
        if (requests.Count > 0)
        {
            await DeliverAllAsync(item => $"m-{item.Platform}-{item.ChatId}-{item.ApprovalId}");
        }

        return (await Store.GetExecutionAsync(runId))!;
    }

    /// <summary>Claims and delivers every pending item (chat by chat, in order); returns the delivered items.</summary>
    protected async Task<IReadOnlyList<OutboxItem>> DeliverAllAsync(Func<OutboxItem, string>? messageId = null)
    {
        var delivered = new List<OutboxItem>();
        while (true)
        {
            var claimed = await Store.ClaimDueAsync(new OutboxClaim("sender", Now, Now + Lease, 100, ["telegram", "discord", "console"]));
            if (claimed.Count == 0)
            {
                return delivered;
            }

            foreach (var item in claimed)
            {
                var id = messageId?.Invoke(item) ?? "m" + item.Id.ToString(CultureInfo.InvariantCulture);
                Assert.True(await Store.CompleteDeliveryAsync(new DeliveryCompletion(item.Id, item.ClaimToken, DeliveryResultKind.Delivered, Now) { MessageId = id }));
                delivered.Add(item);
            }
        }
    }

    /// <summary>Compares two runs field by field (records compare their file lists by reference).</summary>
    protected static void AssertSameRun(ExecutionRecord expected, ExecutionRecord? actual)
    {
        Assert.NotNull(actual);
        Assert.Equal(expected.Files, actual.Files);
        Assert.Equal(expected with { Files = [] }, actual with { Files = [] });
    }

    /// <summary>Rows in a table (optionally matching a condition), read beside the store.</summary>
    protected async Task<long> CountAsync(string table, string where = "1 = 1") =>
        Convert.ToInt64(await Fixture.ScalarAsync($"SELECT COUNT(*) FROM {table} WHERE {where}"), CultureInfo.InvariantCulture);

    /// <summary>Starts every task at the same moment (after all are scheduled), so they really race.</summary>
    protected static async Task<T[]> RaceAsync<T>(int count, Func<int, Task<T>> work)
    {
        var start = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var tasks = Enumerable.Range(0, count).Select(i => Task.Run(async () =>
        {
            await start.Task;
            return await work(i);
        })).ToList();
        start.SetResult();
        return await Task.WhenAll(tasks);
    }
}
