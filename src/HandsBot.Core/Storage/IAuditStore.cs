namespace HandsBot.Core.Storage;

/// <summary>Who did (or tried) what, where and when.</summary>
public sealed record AuditEntry(DateTimeOffset At, string Identity, string Action, string Where, bool Allowed, string? Detail);

public interface IAuditStore
{
    Task AppendAuditAsync(AuditEntry entry, CancellationToken ct = default);

    /// <summary>
    /// Appends several entries, in order. A store that can should write them in one transaction (a busy
    /// webhook writes one audit row per call); the default appends them one by one.
    /// </summary>
    async Task AppendAuditBatchAsync(IReadOnlyList<AuditEntry> entries, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(entries);
        foreach (var entry in entries) await AppendAuditAsync(entry, ct).ConfigureAwait(false);
    }
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

/// <summary>Opening the store: schema, exclusive use, health.</summary>
public interface IStoreAdmin
{
    /// <summary>Creates or upgrades the schema. Idempotent; safe when several processes start at once.</summary>
    Task MigrateAsync(CancellationToken ct = default);

    /// <summary>
    /// Claims the store for a serving process. A store for one process (SQLite) refuses a second one with
    /// a <see cref="StoreUnavailableException"/> naming the file and the other process; a shared store
    /// (PostgreSQL) allows any number.
    /// </summary>
    Task AcquireForServingAsync(string owner, CancellationToken ct = default);

    /// <summary>Checks the store answers (and that a file-based store's file is still the one it opened).</summary>
    Task CheckHealthAsync(CancellationToken ct = default);

    /// <summary>What to show people as the store's location (a path, or a host and database name — never a password).</summary>
    string Describe { get; }

    /// <summary>True when several serving processes may share the store.</summary>
    bool Shared { get; }
}

/// <summary>The whole store. SQLite implements it; PostgreSQL too.</summary>
public interface IHandsStore : IHandStore, IRunStore, IApprovalStore, IOutboxStore, IAuditStore, ISettingsStore, ISeenKeyStore, IStoreAdmin;
