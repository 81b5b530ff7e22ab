using HandsBot.Core.Model;
using HandsBot.Core.Storage;
using HandsBot.Storage.Sqlite.Schema;
using HandsBot.Storage.Sqlite.Tests.Support;
using Microsoft.Extensions.Logging;

namespace HandsBot.Storage.Sqlite.Tests;

public sealed class MigrationTests
{
    [Fact]
    public async Task MigrateAsync_CreatesFolderAndLatestSchema_WhenDatabaseIsNew()
    {
        await using var db = new TempDatabase();
        var store = db.OpenStore();

        await store.MigrateAsync();

        Assert.True(File.Exists(db.Path));
        Assert.Equal((long)SchemaMigrations.LatestVersion, db.Scalar("PRAGMA user_version;"));
        Assert.Equal("wal", db.Scalar("PRAGMA journal_mode;"));
        var tables = db.Scalar("SELECT group_concat(name, ',') FROM (SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' ORDER BY name);");
        Assert.Equal("approval_messages,approvals,audit_log,executions,hands,outbox,seen_keys,settings", tables);
    }

    [Fact]
    public async Task MigrateAsync_LogsEachStep_WhenDatabaseIsNew()
    {
        await using var db = new TempDatabase();

        await db.OpenStore().MigrateAsync();

        var messages = db.Logger.Records.Where(r => r.Level == LogLevel.Information).Select(r => r.Message).ToList();
        Assert.Contains(messages, m => m.Contains($"from schema version 0 to {SchemaMigrations.LatestVersion}", StringComparison.Ordinal));
        Assert.Contains(messages, m => m.Contains("from schema version 0 to 1", StringComparison.Ordinal));
        Assert.Contains(messages, m => m.Contains("from schema version 1 to 2", StringComparison.Ordinal));
        Assert.Contains(messages, m => m.Contains("from schema version 2 to 3", StringComparison.Ordinal));
        Assert.Contains(messages, m => m.Contains("from schema version 3 to 4", StringComparison.Ordinal));
    }

    [Fact]
    public async Task MigrateAsync_IsIdempotent_WhenRunAgain()
    {
        var (db, store) = await TempDatabase.CreateMigratedAsync();
        await using var _ = db;
        await store.UpsertHandAsync(Samples.Hand());
        var migrationLogs = db.Logger.Records.Count(r => r.Level == LogLevel.Information);

        await store.MigrateAsync();
        await db.OpenStore().MigrateAsync();

        Assert.Equal((long)SchemaMigrations.LatestVersion, db.Scalar("PRAGMA user_version;"));
        Assert.NotNull(await store.GetHandAsync("oracle"));
        Assert.Equal(migrationLogs, db.Logger.Records.Count(r => r.Level == LogLevel.Information));
    }

    [Fact]
    public async Task MigrateAsync_KeepsRowsAndAddsFeatures_WhenDatabaseIsVersion1()
    {
        await using var db = new TempDatabase();
        db.Execute(SchemaMigrations.V1Sql + "PRAGMA user_version = 1;");
        db.Execute("""
            INSERT INTO hands (name, directory, manifest, content_hash, enabled, valid, problems, paused, next_due_at, last_run_at, runs, successes, failures, updated_at)
            VALUES ('oracle', '/hands/oracle', '{}', 'h1', 1, 1, '[]', 1, 1774745999123, 1774742399000, 5, 4, 1, 1774742399000);
            INSERT INTO executions (id, hand, trigger, scheduled_for, started_at, completed_at, outcome, output, error, stderr, files, parent_id, requested_by)
            VALUES ('exec-old', 'oracle', 'schedule', 1774742399000, 1774742399000, NULL, NULL, NULL, NULL, NULL, '["a.txt"]', NULL, NULL);
            INSERT INTO approvals (id, reference, hand, execution_id, gate, action, description, context, status, created_at, expires_at, resolved_at, resolved_by)
            VALUES ('appr-old', 'REF1', 'oracle', 'exec-old', 'publish', 'broadcast', 'Post it', '{}', 'pending', 1774742399000, NULL, NULL, NULL);
            """);
        var store = db.OpenStore();

        await store.MigrateAsync();

        Assert.Equal((long)SchemaMigrations.LatestVersion, db.Scalar("PRAGMA user_version;"));
        var hand = await store.GetHandAsync("oracle");
        Assert.NotNull(hand);
        Assert.True(hand.Paused);
        Assert.Equal(DateTimeOffset.FromUnixTimeMilliseconds(1774745999123), hand.NextDueAt);
        Assert.Equal(new HandCounters(5, 4, 1), hand.Counters);
        Assert.Null(hand.LastError);
        Assert.Null(hand.LastOutcome);

        var running = Assert.Single(await store.ListRunningExecutionsAsync());
        Assert.Equal("exec-old", running.Id);
        Assert.Equal(RunTrigger.Schedule, running.Trigger);
        Assert.Equal(["a.txt"], running.Files);
        Assert.Null(running.Prompt);

        var approval = await store.GetApprovalByReferenceAsync("REF1");
        Assert.NotNull(approval);
        Assert.Equal("", approval.Summary);
        Assert.Null(approval.AutoApproveAt);
        Assert.True(approval.IsPending);

        // The v2 features work on the migrated data.
        await store.SaveExecutionStateAsync("exec-old", "prompt", "state");
        Assert.Equal("state", (await store.GetExecutionAsync("exec-old"))!.State);
        await store.AddApprovalMessageAsync(new ApprovalMessage("appr-old", "telegram", "100", null, "55"));
        Assert.Single(await store.ListApprovalMessagesAsync("appr-old"));
        Assert.True(await store.EnqueueAsync(Samples.Outbox("k1", executionId: "exec-old")));
        Assert.Single(await store.ListOutboxForExecutionAsync("exec-old"));
        await store.RecordRunAsync("oracle", ExecutionOutcome.Failure, "boom", Samples.T0);
        Assert.Equal("boom", (await store.GetHandAsync("oracle"))!.LastError);
        Assert.Equal(ExecutionOutcome.Failure, (await store.GetHandAsync("oracle"))!.LastOutcome);
        await store.SetSettingAsync("telegram.offset", "17");
        Assert.Equal("17", await store.GetSettingAsync("telegram.offset"));
        await store.AppendAuditAsync(new AuditEntry(Samples.T0, "telegram:42", "approve", "telegram:100", true, null));
        Assert.Single(await store.ListAuditAsync(10));
    }

    [Fact]
    public async Task MigrateAsync_LogsOnlyTheMissingStep_WhenDatabaseIsVersion1()
    {
        await using var db = new TempDatabase();
        db.Execute(SchemaMigrations.V1Sql + "PRAGMA user_version = 1;");

        await db.OpenStore().MigrateAsync();

        var messages = db.Logger.Records.Select(r => r.Message).ToList();
        Assert.Contains(messages, m => m.Contains("from schema version 1 to 2", StringComparison.Ordinal));
        Assert.DoesNotContain(messages, m => m.Contains("from schema version 0", StringComparison.Ordinal));
    }

    [Fact]
    public async Task MigrateAsync_ThrowsClearErrorAndChangesNothing_WhenDatabaseIsNewer()
    {
        await using var db = new TempDatabase();
        db.Execute("CREATE TABLE future (x INTEGER); PRAGMA user_version = 99;");
        var store = db.OpenStore();

        var error = await Assert.ThrowsAsync<InvalidOperationException>(() => store.MigrateAsync());

        Assert.Contains("schema version 99", error.Message, StringComparison.Ordinal);
        Assert.Contains("newer HandsBot", error.Message, StringComparison.Ordinal);
        Assert.Equal(99L, db.Scalar("PRAGMA user_version;"));
        Assert.Equal(0L, db.Scalar("SELECT count(*) FROM sqlite_master WHERE name = 'hands';"));
    }

    [Fact]
    public async Task MigrateAsync_RollsBackTheStep_WhenItsSqlFails()
    {
        // A v1 database that already has a table v2 creates: step 2 fails half-way and must leave no trace.
        await using var db = new TempDatabase();
        db.Execute(SchemaMigrations.V1Sql + "CREATE TABLE settings (key TEXT); PRAGMA user_version = 1;");
        var store = db.OpenStore();

        await Assert.ThrowsAsync<Microsoft.Data.Sqlite.SqliteException>(() => store.MigrateAsync());

        Assert.Equal(1L, db.Scalar("PRAGMA user_version;"));
        Assert.Equal(0L, db.Scalar("SELECT count(*) FROM pragma_table_info('hands') WHERE name = 'last_error';"));
        Assert.Equal(0L, db.Scalar("SELECT count(*) FROM sqlite_master WHERE name = 'outbox';"));
    }

    [Fact]
    public async Task MigrateAsync_EnablesForeignKeys_ForStoreConnections()
    {
        var (db, store) = await TempDatabase.CreateMigratedAsync();
        await using var _ = db;

        // approval_messages references approvals: a message for a missing approval is refused.
        await Assert.ThrowsAsync<Microsoft.Data.Sqlite.SqliteException>(
            () => store.AddApprovalMessageAsync(new ApprovalMessage("missing", "telegram", "1", null, "2")));
    }

    [Fact]
    public async Task MigrateAsync_Succeeds_WhenTwoStoresMigrateTheSameFileAtOnce()
    {
        await using var db = new TempDatabase();
        var first = db.OpenStore();
        var second = db.OpenStore();

        await Task.WhenAll(Task.Run(() => first.MigrateAsync()), Task.Run(() => second.MigrateAsync()));

        Assert.Equal((long)SchemaMigrations.LatestVersion, db.Scalar("PRAGMA user_version;"));
    }

    [Fact]
    public void Migrations_AreNumberedConsecutivelyFromOne()
    {
        Assert.Equal(Enumerable.Range(1, SchemaMigrations.All.Count), SchemaMigrations.All.Select(m => m.Version));
    }
}
