using HandsBot.Core.Storage;
using Microsoft.Extensions.Time.Testing;

namespace HandsBot.Storage.Tests.Fixtures;

/// <summary>
/// One test's store: a fresh, migrated, empty database behind <see cref="IHandsStore"/>. The contract
/// tests (<c>Contracts/*Contract.cs</c>) are written once against the interfaces; each store supplies
/// only a fixture and one line per contract class:
/// <code>
/// public sealed class SqliteRunStoreTests() : RunStoreContract(new SqliteStoreFixture());
/// // A server store keeps the expensive part (the cluster) in an xunit class or collection fixture
/// // and gives each test its own database:
/// public sealed class PostgresRunStoreTests(PostgresCluster cluster)
///     : RunStoreContract(new PostgresStoreFixture(cluster)), IClassFixture&lt;PostgresCluster&gt;;
/// </code>
/// xunit makes a new test class instance, and so a new fixture, for every test.
/// </summary>
public interface IStoreFixture : IAsyncDisposable
{
    /// <summary>The clock the store was given (for what the store stamps itself: <c>updated_at</c>, seen-key expiry).</summary>
    FakeTimeProvider Time { get; }

    /// <summary>Creates the test's database and a migrated store on it. Called once per test.</summary>
    Task<IHandsStore> CreateStoreAsync();

    /// <summary>
    /// Another store instance on the same database, as a second process would open it (its own
    /// connections and in-process locks), so races are arbitrated by the database itself.
    /// </summary>
    Task<IHandsStore> OpenPeerAsync();

    /// <summary>
    /// A raw value read beside the store, for facts the interfaces do not return (row counts). Keep the
    /// SQL portable: the tables and columns are the schema's, the same in every store.
    /// </summary>
    Task<object?> ScalarAsync(string sql);
}
