using HandsBot.Storage.Tests.Contracts;

namespace HandsBot.Storage.Tests.Sqlite;

// The store contract run against SQLite: one line per contract class.
public sealed class SqliteAdmissionTests() : AdmissionContract(new SqliteStoreFixture());

public sealed class SqliteRunClaimTests() : RunClaimContract(new SqliteStoreFixture());

public sealed class SqliteRunFinishTests() : RunFinishContract(new SqliteStoreFixture());

public sealed class SqliteRunQueryTests() : RunQueryContract(new SqliteStoreFixture());

public sealed class SqliteApprovalStoreTests() : ApprovalStoreContract(new SqliteStoreFixture());

public sealed class SqliteOutboxStoreTests() : OutboxStoreContract(new SqliteStoreFixture());

public sealed class SqliteHandStoreTests() : HandStoreContract(new SqliteStoreFixture());

public sealed class SqliteSmallStoresTests() : SmallStoresContract(new SqliteStoreFixture());

public sealed class SqliteStoreAdminTests() : StoreAdminContract(new SqliteStoreFixture());
