using HandsBot.Core.Model;

namespace HandsBot.Core.Storage;

public interface IExecutionStore
{
    Task InsertExecutionAsync(ExecutionRecord execution, CancellationToken ct = default);
    /// <summary>Writes the end of a run. Only a running execution (outcome null) or an approval_pending one is updated.</summary>
    Task CompleteExecutionAsync(ExecutionCompletion completion, CancellationToken ct = default);
    /// <summary>Saves an agent's prompt and conversation state while it runs or waits.</summary>
    Task SaveExecutionStateAsync(string id, string? prompt, string? state, CancellationToken ct = default);
    Task<ExecutionRecord?> GetExecutionAsync(string id, CancellationToken ct = default);
    /// <summary>Executions whose id starts with the prefix (at most <paramref name="limit"/>).</summary>
    Task<IReadOnlyList<ExecutionRecord>> FindExecutionsByPrefixAsync(string idPrefix, int limit, CancellationToken ct = default);
    /// <summary>Newest first.</summary>
    Task<IReadOnlyList<ExecutionRecord>> ListExecutionsAsync(string hand, int limit, CancellationToken ct = default);
    /// <summary>Executions still marked running (outcome null): after a crash these are the interrupted ones.</summary>
    Task<IReadOnlyList<ExecutionRecord>> ListRunningExecutionsAsync(CancellationToken ct = default);
}

public sealed record ExecutionCompletion(
    string Id,
    ExecutionOutcome Outcome,
    DateTimeOffset CompletedAt,
    string? Output,
    string? Error,
    string? Stderr,
    IReadOnlyList<string> Files);
