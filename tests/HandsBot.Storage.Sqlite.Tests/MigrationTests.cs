using System.Globalization;
using HandsBot.Core.Model;
using HandsBot.Core.Storage;
using HandsBot.Storage.Sqlite.Schema;
using HandsBot.Storage.Sqlite.Tests.Support;
using Microsoft.Extensions.Logging;

namespace HandsBot.Storage.Sqlite.Tests;

public sealed class MigrationTests
{
    private const long Ms = 1774742000000; // 2026-03-28T23:53:20Z

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
        for (var version = 1; version <= SchemaMigrations.LatestVersion; version++)
        {
            var step = $"from schema version {version - 1} to {version}:";
            Assert.Contains(messages, m => m.Contains(step, StringComparison.Ordinal));
        }
    }

    [Fact]
    public async Task MigrateAsync_IsIdempotent_AndLogsNothingNew_WhenRunAgain()
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

    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(3)]
    [InlineData(4)]
    public async Task MigrateAsync_KeepsEveryRowAndAppliesOnlyTheMissingSteps_WhenDatabaseIsAnOlderVersion(int version)
    {
        await using var db = new TempDatabase();
        CreateAtVersion(db, version);
        InsertRowsOfVersion(db, version);
        var store = db.OpenStore();

        await store.MigrateAsync();

        Assert.Equal((long)SchemaMigrations.LatestVersion, db.Scalar("PRAGMA user_version;"));
        var messages = db.Logger.Records.Select(r => r.Message).ToList();
        Assert.Contains(messages, m => m.Contains($"from schema version {version} to {version + 1}:", StringComparison.Ordinal));
        Assert.DoesNotContain(messages, m => m.Contains($"from schema version {version - 1} to {version}:", StringComparison.Ordinal));

        var hand = (await store.GetHandAsync("oracle"))!;
        Assert.True(hand.Paused);
        Assert.Equal(At(3_999_123), hand.NextDueAt);
        Assert.Equal(new HandCounters(5, 4, 1), hand.Counters);
        Assert.Equal(version >= 3 ? ExecutionOutcome.ApprovalPending : null, hand.LastOutcome);

        var done = (await store.GetExecutionAsync("exec-done"))!;
        Assert.Equal(RunState.Done, done.RunState);
        Assert.Equal(ExecutionOutcome.Success, done.Outcome);
        Assert.Equal("done output", done.Output);
        Assert.Equal(["a.txt"], done.Files);
        Assert.Equal(At(0), done.ScheduledFor);
        var waiting = (await store.GetExecutionAsync("exec-waiting"))!;
        Assert.Equal(RunState.Done, waiting.RunState);
        Assert.Equal(ExecutionOutcome.ApprovalPending, waiting.Outcome);

        var approval = (await store.GetApprovalByReferenceAsync("REF1"))!;
        Assert.True(approval.IsPending);
        Assert.Equal("exec-waiting", approval.ExecutionId);
        Assert.Null(approval.Reason);

        if (version >= 2)
        {
            Assert.Equal([new ApprovalMessage("appr-old", "telegram", "100", null, "55")], await store.ListApprovalMessagesAsync("appr-old"));
            var request = Assert.Single(await store.ListOutboxForExecutionAsync("exec-waiting"));
            Assert.True(request.IsApprovalRequest);
            var pending = Assert.Single(await store.ListOutboxForExecutionAsync("exec-done"));
            Assert.False(pending.IsApprovalRequest);
            Assert.Equal(2, pending.Attempts);
            Assert.Null(pending.ClaimedBy);
            Assert.Equal("17", await store.GetSettingAsync("telegram.offset"));
            Assert.Single(await store.ListAuditAsync(10));
        }

        if (version >= 4)
        {
            Assert.False(await store.TryMarkSeenAsync("discord:interaction:1", Samples.T0.AddDays(1)));
        }

        // The v5 work model runs on the migrated rows: the approval is decided and edits its message,
        // the pending message is claimed, a new run is admitted behind the old schedule slot.
        Assert.True(await store.DecideApprovalAsync(new ApprovalDecision
        {
            ApprovalId = "appr-old",
            Status = ApprovalStatus.Approved,
            DecidedBy = "telegram:42",
            At = Samples.T0,
            DecidedPayloads = new Dictionary<string, string> { ["telegram"] = "{}" },
        }));
        Assert.Equal(ExecutionOutcome.Success, (await store.GetExecutionAsync("exec-waiting"))!.Outcome);
        var claimed = await store.ClaimDueAsync(new OutboxClaim("s1", Samples.T0, Samples.T0.AddMinutes(1), 10, ["telegram"]));
        Assert.Equal(version >= 2 ? ["exec-done:telegram:100:0"] : [], claimed.Select(i => i.IdempotencyKey));
        var repeat = await store.AdmitAsync(new AdmissionBatch([new RunAdmission(Samples.Run("again") with { Trigger = RunTrigger.Schedule, ScheduledFor = At(0) }, null)], Samples.T0));
        Assert.Equal(new AdmitResult(AdmitStatus.Duplicate, "exec-done").ExecutionId, Assert.Single(repeat).ExecutionId);
    }

    [Theory]
    [InlineData(1)]
    [InlineData(4)]
    public async Task MigrateAsync_LeavesARunInProgressAtTheUpgradeToBeClosedAsLost(int version)
    {
        // A run without an outcome was in progress when the old HandsBot stopped. Its worker is gone:
        // after the upgrade it must be a running run whose claim has run out, or nothing would ever close
        // it and an "overlap = skip" hand would be skipped for ever.
        await using var db = new TempDatabase();
        CreateAtVersion(db, version);
        InsertRowsOfVersion(db, version);
        var store = db.OpenStore();

        await store.MigrateAsync();

        var crashed = Assert.Single(await store.ListActiveRunsAsync());
        Assert.Equal("exec-crashed", crashed.Id);
        Assert.Equal(RunState.Running, crashed.RunState);
        Assert.NotNull(crashed.Owner);
        Assert.True(crashed.LeaseUntil <= Samples.T0, "the claim of a run from before the upgrade has run out");
        Assert.True(await store.ReleaseLostAsync(new LostRun(crashed.Id, crashed.Attempt, "oracle", LostRunAction.Interrupt, Samples.T0, "HandsBot stopped")));
        var closed = (await store.GetExecutionAsync("exec-crashed"))!;
        Assert.Equal(ExecutionOutcome.Interrupted, closed.Outcome);
        Assert.Equal(closed.StartedAt, closed.CompletedAt);
    }

    [Fact]
    public async Task MigrateAsync_KeepsTheFirstRunOfEachSlot_WhenTwoProcessesRanASlotTwice()
    {
        await using var db = new TempDatabase();
        CreateAtVersion(db, 4);
        db.Execute($"""
            INSERT INTO executions (id, hand, trigger, scheduled_for, started_at, completed_at, outcome, files)
            VALUES ('first', 'oracle', 'schedule', {Ms}, {Ms}, {Ms + 1000}, 'success', '[]'),
                   ('twice', 'oracle', 'schedule', {Ms}, {Ms + 5}, {Ms + 900}, 'success', '[]'),
                   ('thrice', 'oracle', 'schedule', {Ms}, {Ms + 9}, {Ms + 800}, 'failure', '[]'),
                   ('other-hand', 'sentinel', 'schedule', {Ms}, {Ms}, {Ms + 1000}, 'success', '[]'),
                   ('next-slot', 'oracle', 'schedule', {Ms + 60000}, {Ms + 60000}, {Ms + 61000}, 'success', '[]'),
                   ('manual', 'oracle', 'manual', NULL, {Ms}, {Ms + 1000}, 'success', '[]');
            """);
        var store = db.OpenStore();

        await store.MigrateAsync();

        // Every record stays in the history; only the first keeps its claim on the slot.
        Assert.Equal(6L, db.Scalar("SELECT count(*) FROM executions;"));
        Assert.Equal(At(0), (await store.GetExecutionAsync("first"))!.ScheduledFor);
        Assert.Null((await store.GetExecutionAsync("twice"))!.ScheduledFor);
        Assert.Null((await store.GetExecutionAsync("thrice"))!.ScheduledFor);
        Assert.Equal(ExecutionOutcome.Failure, (await store.GetExecutionAsync("thrice"))!.Outcome);
        Assert.Equal(At(0), (await store.GetExecutionAsync("other-hand"))!.ScheduledFor);
        Assert.Equal(At(60_000), (await store.GetExecutionAsync("next-slot"))!.ScheduledFor);
        var again = await store.AdmitAsync(new AdmissionBatch([new RunAdmission(Samples.Run("again") with { Trigger = RunTrigger.Schedule, ScheduledFor = At(0) }, null)], Samples.T0));
        Assert.Equal(AdmitStatus.Duplicate, again[0].Status);
        Assert.Equal("first", again[0].ExecutionId);
    }

    [Fact]
    public async Task MigrateAsync_ThrowsAClearErrorAndChangesNothing_WhenDatabaseIsNewer()
    {
        await using var db = new TempDatabase();
        db.Execute("CREATE TABLE future (x INTEGER); PRAGMA user_version = 99;");
        var store = db.OpenStore();

        var error = await Assert.ThrowsAsync<StoreUnavailableException>(() => store.MigrateAsync());

        Assert.Contains(db.Path, error.Message, StringComparison.Ordinal);
        Assert.Contains("schema version 99", error.Message, StringComparison.Ordinal);
        Assert.Contains("newer HandsBot", error.Message, StringComparison.Ordinal);
        Assert.False(error.Transient);
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
    public void Migrations_AreNumberedConsecutivelyFromOne()
    {
        Assert.Equal(Enumerable.Range(1, SchemaMigrations.All.Count), SchemaMigrations.All.Select(m => m.Version));
    }

    private static DateTimeOffset At(long offsetMs) => DateTimeOffset.FromUnixTimeMilliseconds(Ms + offsetMs);

    /// <summary>A database as HandsBot left it at <paramref name="version"/>: the released steps up to it, applied as they were.</summary>
    private static void CreateAtVersion(TempDatabase db, int version) =>
        db.Execute(string.Concat(SchemaMigrations.All.Take(version).Select(m => m.Sql)) + $"PRAGMA user_version = {version.ToString(CultureInfo.InvariantCulture)};");

    /// <summary>Rows in the columns that existed at <paramref name="version"/>, as that version wrote them.</summary>
    private static void InsertRowsOfVersion(TempDatabase db, int version)
    {
        db.Execute($"""
            INSERT INTO hands (name, directory, manifest, content_hash, enabled, valid, problems, paused, next_due_at, last_run_at, runs, successes, failures, updated_at)
            VALUES ('oracle', '/hands/oracle', '{"{}"}', 'h1', 1, 1, '[]', 1, {Ms + 3_999_123}, {Ms}, 5, 4, 1, {Ms});
            INSERT INTO executions (id, hand, trigger, scheduled_for, started_at, completed_at, outcome, output, error, stderr, files, parent_id, requested_by)
            VALUES ('exec-done', 'oracle', 'schedule', {Ms}, {Ms}, {Ms + 5000}, 'success', 'done output', NULL, NULL, '["a.txt"]', NULL, NULL),
                   ('exec-waiting', 'oracle', 'manual', NULL, {Ms + 100_000}, {Ms + 105_000}, 'approval_pending', NULL, NULL, NULL, '[]', NULL, 'telegram:42'),
                   ('exec-crashed', 'oracle', 'manual', NULL, {Ms + 200_000}, NULL, NULL, NULL, NULL, NULL, '[]', NULL, NULL);
            INSERT INTO approvals (id, reference, hand, execution_id, gate, action, description, context, status, created_at, expires_at, resolved_at, resolved_by)
            VALUES ('appr-old', 'REF1', 'oracle', 'exec-waiting', 'publish', 'broadcast', 'Post it', '{"{}"}', 'pending', {Ms + 105_000}, NULL, NULL, NULL);
            """);
        if (version >= 2)
        {
            db.Execute($"""
                INSERT INTO approval_messages (approval_id, platform, chat_id, thread_id, message_id) VALUES ('appr-old', 'telegram', '100', NULL, '55');
                INSERT INTO outbox (idempotency_key, platform, chat_id, thread_id, kind, payload, edit_message_id, status, attempts, created_at, next_attempt_at, delivered_at, message_id, last_error, execution_id, approval_id)
                VALUES ('approval:appr-old:request:telegram:100', 'telegram', '100', NULL, 'send', '{"{}"}', NULL, 'delivered', 1, {Ms + 105_000}, {Ms + 105_000}, {Ms + 106_000}, '55', NULL, 'exec-waiting', 'appr-old'),
                       ('exec-done:telegram:100:0', 'telegram', '100', NULL, 'send', '{"{}"}', NULL, 'pending', 2, {Ms + 5000}, {Ms + 5000}, NULL, NULL, '429', 'exec-done', NULL);
                INSERT INTO audit_log (at, identity, action, location, allowed, detail) VALUES ({Ms}, 'telegram:42', 'approve', 'telegram:100', 1, NULL);
                INSERT INTO settings (key, value, updated_at) VALUES ('telegram.offset', '17', {Ms});
                """);
        }

        if (version >= 3)
        {
            db.Execute("UPDATE hands SET last_outcome = 'approval_pending';");
        }

        if (version >= 4)
        {
            db.Execute($"INSERT INTO seen_keys (key, expires_at) VALUES ('discord:interaction:1', {Ms + 86_400_000L * 10});");
        }
    }
}
