using HandsBot.Core.Storage;

namespace HandsBot.Core.Tests.Chat;

internal sealed class FakeAuditStore : IAuditStore
{
    private readonly List<AuditEntry> _entries = [];

    public IReadOnlyList<AuditEntry> Entries
    {
        get { lock (_entries) return [.. _entries]; }
    }

    public Task AppendAuditAsync(AuditEntry entry, CancellationToken ct = default)
    {
        lock (_entries) _entries.Add(entry);
        return Task.CompletedTask;
    }

    public Task<IReadOnlyList<AuditEntry>> ListAuditAsync(int limit, CancellationToken ct = default)
    {
        lock (_entries) return Task.FromResult<IReadOnlyList<AuditEntry>>([.. Enumerable.Reverse(_entries).Take(limit)]);
    }
}
