using HandsBot.Core.Chat;
using HandsBot.Core.Engine;
using HandsBot.Core.Model;

namespace HandsBot.Benchmarks;

/// <summary>
/// An in-memory engine with N scheduled hands for the Telegram load program: listings and lookups are
/// real data; the mutating calls are not exercised by /hands and refuse plainly.
/// </summary>
internal sealed class TelegramBenchEngine : IHandsEngine
{
    private readonly List<HandView> _hands;

    public TelegramBenchEngine(int count, DateTimeOffset now)
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

    public Task<TriggerResult> TriggerAsync(string hand, RunRequest request, CancellationToken ct = default) =>
        Task.FromResult(TriggerResult.Refused("not part of the benchmark"));

    public Task<StateChangeResult> PauseAsync(string hand, string by, CancellationToken ct = default) =>
        Task.FromResult(new StateChangeResult(false, "not part of the benchmark"));

    public Task<StateChangeResult> ResumeAsync(string hand, string by, CancellationToken ct = default) =>
        Task.FromResult(new StateChangeResult(false, "not part of the benchmark"));

    public Task<IReadOnlyList<ExecutionRecord>> HistoryAsync(string hand, int count, CancellationToken ct = default) =>
        Task.FromResult<IReadOnlyList<ExecutionRecord>>([]);

    public Task<ExecutionRecord?> FindExecutionAsync(string idOrPrefix, CancellationToken ct = default) => Task.FromResult<ExecutionRecord?>(null);

    public Task<IReadOnlyList<ApprovalRecord>> PendingApprovalsAsync(CancellationToken ct = default) =>
        Task.FromResult<IReadOnlyList<ApprovalRecord>>([]);

    public Task<ApprovalLookup> FindApprovalAsync(string referenceOrPrefix, CancellationToken ct = default) =>
        Task.FromResult(new ApprovalLookup(ApprovalLookupStatus.NotFound, null, []));

    public Task<DecisionResult> DecideAsync(string approvalId, bool approve, ChatUser decider, CancellationToken ct = default) =>
        Task.FromResult(new DecisionResult(DecisionStatus.NotFound, null, "not part of the benchmark"));
}
