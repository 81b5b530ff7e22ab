using HandsBot.Core.Model;

namespace HandsBot.Core.Storage;

/// <summary>Who did (or tried) what, where and when.</summary>
public sealed record AuditEntry(DateTimeOffset At, string Identity, string Action, string Where, bool Allowed, string? Detail);

public interface IAuditStore
{
    Task AppendAuditAsync(AuditEntry entry, CancellationToken ct = default);
    /// <summary>Newest first.</summary>
    Task<IReadOnlyList<AuditEntry>> ListAuditAsync(int limit, CancellationToken ct = default);
}

/// <summary>Small persisted values: polling offsets, registered-command hashes, chat membership.</summary>
public interface ISettingsStore
{
    Task<string?> GetSettingAsync(string key, CancellationToken ct = default);
    Task SetSettingAsync(string key, string value, CancellationToken ct = default);
    Task DeleteSettingAsync(string key, CancellationToken ct = default);
}

/// <summary>The whole store. SQLite implements it; a PostgreSQL store could too.</summary>
public interface IHandsStore : IHandStore, IExecutionStore, IApprovalStore, IOutboxStore, IAuditStore, ISettingsStore, ISeenKeyStore
{
    /// <summary>Creates or upgrades the schema. Idempotent.</summary>
    Task MigrateAsync(CancellationToken ct = default);

    /// <summary>
    /// One scheduler pass in one transaction: the executions it started, skipped or recorded as missed
    /// (inserted as given, outcome and all) and each handled hand's next due time.
    /// </summary>
    Task RecordSchedulePassAsync(SchedulePass pass, CancellationToken ct = default);

    /// <summary>The end of a run and its count (<see cref="IHandStore.RecordRunAsync"/>) in one transaction.</summary>
    Task CompleteRunAsync(ExecutionCompletion completion, string hand, ExecutionOutcome counted, string? countedError, CancellationToken ct = default);
}

/// <summary>What a scheduler pass writes at once.</summary>
public sealed record SchedulePass(IReadOnlyList<ExecutionRecord> Executions, IReadOnlyList<KeyValuePair<string, DateTimeOffset>> NextDue);
