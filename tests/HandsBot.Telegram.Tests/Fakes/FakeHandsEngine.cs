using HandsBot.Core.Chat;
using HandsBot.Core.Engine;
using HandsBot.Core.Model;
using HandsBot.Core.Access;

namespace HandsBot.Telegram.Tests.Fakes;

/// <summary>
/// An in-memory engine with N scheduled hands ("hand-0001"...) for tests with the real ChatCommandService
/// and for the Telegram load program. Runs are recorded, not executed; approvals are not modelled.
/// </summary>
public sealed class FakeHandsEngine : IHandsEngine
{
    private readonly List<HandView> _hands;
    private readonly System.Collections.Concurrent.ConcurrentQueue<(string Hand, RunRequest Request)> _triggers = new();

    public FakeHandsEngine(int count, DateTimeOffset now)
    {
        _hands = [.. Enumerable.Range(1, count).Select(i =>
        {
            var name = $"hand-{i:D4}";
            var manifest = new HandManifest
            {
                Name = name,
                Description = $"Benchmark hand {i}",
                Schedule = new HandSchedule { Kind = ScheduleKind.Cron, Cron = $"{i % 60} * * * *", TimeZone = "Europe/Berlin" },
            };
            return new HandView
            {
                Definition = new HandDefinition { Name = name, Directory = $"hands/{name}", ManifestPath = $"hands/{name}/HAND.toml", Manifest = manifest },
                State = HandState.Scheduled,
                NextDueAt = now.AddMinutes(i % 60 + 1),
                LastRunAt = now.AddMinutes(-(i % 120)),
                LastOutcome = ExecutionOutcome.Success,
                Counters = new HandCounters(i, i, 0),
            };
        })];
    }

    public Task<IReadOnlyList<HandView>> ListHandsAsync(CancellationToken ct = default) => Task.FromResult<IReadOnlyList<HandView>>(_hands);

    public Task<HandView?> GetHandAsync(string name, CancellationToken ct = default) =>
        Task.FromResult(_hands.FirstOrDefault(h => string.Equals(h.Name, name, StringComparison.OrdinalIgnoreCase)));

    public IReadOnlyList<DateTimeOffset> NextFireTimes(HandManifest manifest, DateTimeOffset after, int count) => [];

    public IReadOnlyList<(string Hand, RunRequest Request)> Triggers => [.. _triggers];

    public Task<TriggerResult> TriggerAsync(string hand, RunRequest request, CancellationToken ct = default)
    {
        _triggers.Enqueue((hand, request));
        return Task.FromResult(new TriggerResult(TriggerStatus.Started, hand, $"exec-{_triggers.Count:D4}"));
    }

    public Task<StateChangeResult> PauseAsync(string hand, string by, CancellationToken ct = default) =>
        Task.FromResult(new StateChangeResult(StateChangeStatus.NotFound));

    public Task<StateChangeResult> ResumeAsync(string hand, string by, CancellationToken ct = default) =>
        Task.FromResult(new StateChangeResult(StateChangeStatus.NotFound));

    public Task<IReadOnlyList<ExecutionRecord>> HistoryAsync(string hand, int count, CancellationToken ct = default) =>
        Task.FromResult<IReadOnlyList<ExecutionRecord>>([]);

    public Task<ExecutionRecord?> FindExecutionAsync(string idOrPrefix, CancellationToken ct = default) => Task.FromResult<ExecutionRecord?>(null);

    public Task<IReadOnlyList<ApprovalRecord>> PendingApprovalsAsync(CancellationToken ct = default) =>
        Task.FromResult<IReadOnlyList<ApprovalRecord>>([]);

    public Task<ApprovalLookup> FindApprovalAsync(string referenceOrPrefix, CancellationToken ct = default) =>
        Task.FromResult(new ApprovalLookup(ApprovalLookupStatus.NotFound, null, []));

    public Task<DecisionResult> DecideAsync(string approvalId, bool approve, ChatUser decider, CancellationToken ct = default) =>
        Task.FromResult(new DecisionResult(DecisionStatus.NotFound, null));
}
