using HandsBot.Core.Storage;

namespace HandsBot.Benchmarks;

/// <summary>An audit log that keeps nothing: the load programs measure the adapters, not the store.</summary>
internal sealed class NullAuditStore : IAuditStore
{
    public Task AppendAuditAsync(AuditEntry entry, CancellationToken ct = default) => Task.CompletedTask;

    public Task<IReadOnlyList<AuditEntry>> ListAuditAsync(int limit, CancellationToken ct = default) => Task.FromResult<IReadOnlyList<AuditEntry>>([]);
}
