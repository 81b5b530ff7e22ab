namespace HandsBot.Storage.Sqlite.Schema;

/// <summary>
/// The schema history. A released step is never edited: change the schema by appending a step.
/// Timestamps are unix milliseconds (UTC); enums are snake_case text; JSON columns hold text.
/// </summary>
internal static class SchemaMigrations
{
    public const string V1Sql = """
        CREATE TABLE hands (
            name          TEXT    NOT NULL PRIMARY KEY,
            directory     TEXT    NOT NULL,
            manifest      TEXT    NOT NULL,
            content_hash  TEXT    NOT NULL,
            enabled       INTEGER NOT NULL,
            valid         INTEGER NOT NULL,
            problems      TEXT    NOT NULL DEFAULT '[]',
            paused        INTEGER NOT NULL DEFAULT 0,
            next_due_at   INTEGER NULL,
            last_run_at   INTEGER NULL,
            runs          INTEGER NOT NULL DEFAULT 0,
            successes     INTEGER NOT NULL DEFAULT 0,
            failures      INTEGER NOT NULL DEFAULT 0,
            updated_at    INTEGER NOT NULL
        );

        -- No foreign key to hands: history outlives a removed hand.
        CREATE TABLE executions (
            id            TEXT    NOT NULL PRIMARY KEY,
            hand          TEXT    NOT NULL,
            trigger       TEXT    NOT NULL,
            scheduled_for INTEGER NULL,
            started_at    INTEGER NOT NULL,
            completed_at  INTEGER NULL,
            outcome       TEXT    NULL,
            output        TEXT    NULL,
            error         TEXT    NULL,
            stderr        TEXT    NULL,
            files         TEXT    NOT NULL DEFAULT '[]',
            parent_id     TEXT    NULL,
            requested_by  TEXT    NULL
        );
        CREATE INDEX ix_executions_hand_started ON executions (hand, started_at DESC);

        CREATE TABLE approvals (
            id            TEXT    NOT NULL PRIMARY KEY,
            reference     TEXT    NOT NULL UNIQUE,
            hand          TEXT    NOT NULL,
            execution_id  TEXT    NOT NULL,
            gate          TEXT    NOT NULL,
            action        TEXT    NOT NULL,
            description   TEXT    NOT NULL DEFAULT '',
            context       TEXT    NOT NULL DEFAULT '{}',
            status        TEXT    NOT NULL,
            created_at    INTEGER NOT NULL,
            expires_at    INTEGER NULL,
            resolved_at   INTEGER NULL,
            resolved_by   TEXT    NULL
        );
        CREATE INDEX ix_approvals_status ON approvals (status, created_at);
        CREATE INDEX ix_approvals_execution ON approvals (execution_id);
        """;

    public const string V2Sql = """
        ALTER TABLE hands ADD COLUMN last_error TEXT NULL;

        ALTER TABLE executions ADD COLUMN prompt TEXT NULL;
        ALTER TABLE executions ADD COLUMN state TEXT NULL;
        CREATE INDEX ix_executions_running ON executions (started_at) WHERE outcome IS NULL;

        ALTER TABLE approvals ADD COLUMN summary TEXT NOT NULL DEFAULT '';
        ALTER TABLE approvals ADD COLUMN auto_approve_at INTEGER NULL;

        CREATE TABLE approval_messages (
            id            INTEGER NOT NULL PRIMARY KEY AUTOINCREMENT,
            approval_id   TEXT    NOT NULL REFERENCES approvals (id) ON DELETE CASCADE,
            platform      TEXT    NOT NULL,
            chat_id       TEXT    NOT NULL,
            thread_id     TEXT    NULL,
            message_id    TEXT    NOT NULL,
            UNIQUE (approval_id, platform, chat_id, message_id)
        );

        -- AUTOINCREMENT: ids are never reused, so id order is enqueue order forever.
        CREATE TABLE outbox (
            id              INTEGER NOT NULL PRIMARY KEY AUTOINCREMENT,
            idempotency_key TEXT    NOT NULL UNIQUE,
            platform        TEXT    NOT NULL,
            chat_id         TEXT    NOT NULL,
            thread_id       TEXT    NULL,
            kind            TEXT    NOT NULL,
            payload         TEXT    NOT NULL,
            edit_message_id TEXT    NULL,
            status          TEXT    NOT NULL,
            attempts        INTEGER NOT NULL DEFAULT 0,
            created_at      INTEGER NOT NULL,
            next_attempt_at INTEGER NOT NULL,
            delivered_at    INTEGER NULL,
            failed_at       INTEGER NULL,
            message_id      TEXT    NULL,
            last_error      TEXT    NULL,
            execution_id    TEXT    NULL,
            approval_id     TEXT    NULL
        );
        CREATE INDEX ix_outbox_pending ON outbox (platform, chat_id, thread_id, id) WHERE status = 'pending';
        CREATE INDEX ix_outbox_execution ON outbox (execution_id);

        CREATE TABLE audit_log (
            id            INTEGER NOT NULL PRIMARY KEY AUTOINCREMENT,
            at            INTEGER NOT NULL,
            identity      TEXT    NOT NULL,
            action        TEXT    NOT NULL,
            location      TEXT    NOT NULL,
            allowed       INTEGER NOT NULL,
            detail        TEXT    NULL
        );
        CREATE INDEX ix_audit_log_at ON audit_log (at DESC, id DESC);

        CREATE TABLE settings (
            key           TEXT    NOT NULL PRIMARY KEY,
            value         TEXT    NOT NULL,
            updated_at    INTEGER NOT NULL
        );
        """;

    public const string V3Sql = """
        ALTER TABLE hands ADD COLUMN last_outcome TEXT NULL;
        """;

    public const string V4Sql = """
        CREATE TABLE seen_keys (
            key           TEXT    NOT NULL PRIMARY KEY,
            expires_at    INTEGER NOT NULL
        );
        CREATE INDEX ix_seen_keys_expires ON seen_keys (expires_at);
        """;

    // Every piece of pending work is a row: runs get a state (queued, ready, running, done), a claim
    // (owner, lease, attempt) and their process; approvals their reason and the decided messages' content;
    // outbox items a claim. A schedule slot, a delivery id and an approval admit at most one run.
    public const string V5Sql = """
        ALTER TABLE executions ADD COLUMN run_state TEXT NOT NULL DEFAULT 'done';
        ALTER TABLE executions ADD COLUMN requested_at INTEGER NULL;
        ALTER TABLE executions ADD COLUMN reply_to TEXT NULL;
        ALTER TABLE executions ADD COLUMN approval_id TEXT NULL;
        ALTER TABLE executions ADD COLUMN delivery_id TEXT NULL;
        ALTER TABLE executions ADD COLUMN attempt INTEGER NOT NULL DEFAULT 0;
        ALTER TABLE executions ADD COLUMN owner TEXT NULL;
        ALTER TABLE executions ADD COLUMN lease_until INTEGER NULL;
        ALTER TABLE executions ADD COLUMN alive_at INTEGER NULL;
        ALTER TABLE executions ADD COLUMN pid INTEGER NULL;
        ALTER TABLE executions ADD COLUMN pid_start INTEGER NULL;
        ALTER TABLE executions ADD COLUMN cancel_requested INTEGER NOT NULL DEFAULT 0;
        ALTER TABLE executions ADD COLUMN output_truncated INTEGER NOT NULL DEFAULT 0;
        -- A run without an outcome was in progress when the old HandsBot stopped: it becomes a running run
        -- whose worker (on no machine) lost its claim long ago, so the lost-run sweep closes it as interrupted.
        UPDATE executions SET run_state = 'running', owner = 'before-schema-v5', lease_until = 0 WHERE outcome IS NULL;
        DROP INDEX IF EXISTS ix_executions_running;
        CREATE INDEX ix_executions_active ON executions (run_state, requested_at) WHERE run_state <> 'done';
        CREATE INDEX ix_executions_hand_active ON executions (hand, run_state) WHERE run_state <> 'done';
        -- Two processes on one file could run a slot twice before; keep the first record's claim on the slot.
        UPDATE executions SET scheduled_for = NULL
        WHERE trigger = 'schedule' AND scheduled_for IS NOT NULL
          AND rowid NOT IN (SELECT MIN(rowid) FROM executions WHERE trigger = 'schedule' AND scheduled_for IS NOT NULL GROUP BY hand, scheduled_for);
        CREATE UNIQUE INDEX ux_executions_slot ON executions (hand, scheduled_for) WHERE trigger = 'schedule' AND scheduled_for IS NOT NULL;
        CREATE UNIQUE INDEX ux_executions_approval ON executions (approval_id) WHERE approval_id IS NOT NULL;
        CREATE UNIQUE INDEX ux_executions_delivery ON executions (hand, delivery_id) WHERE delivery_id IS NOT NULL;

        ALTER TABLE approvals ADD COLUMN reason TEXT NULL;
        ALTER TABLE approvals ADD COLUMN decided_payloads TEXT NULL;

        ALTER TABLE outbox ADD COLUMN is_request INTEGER NOT NULL DEFAULT 0;
        UPDATE outbox SET is_request = 1 WHERE approval_id IS NOT NULL AND kind <> 'edit' AND idempotency_key LIKE 'approval:%:request:%';
        ALTER TABLE outbox ADD COLUMN claimed_by TEXT NULL;
        ALTER TABLE outbox ADD COLUMN claim_until INTEGER NULL;
        ALTER TABLE outbox ADD COLUMN claim_token INTEGER NOT NULL DEFAULT 0;
        CREATE INDEX ix_outbox_failed ON outbox (status, platform, chat_id) WHERE status <> 'pending';
        """;

    // Webhook and event triggers: a webhook run keeps its request body; an event run is created once per
    // (parent run, hand) and knows how deep its chain is.
    public const string V6Sql = """
        ALTER TABLE executions ADD COLUMN payload BLOB NULL;
        ALTER TABLE executions ADD COLUMN payload_type TEXT NULL;
        ALTER TABLE executions ADD COLUMN chain_depth INTEGER NOT NULL DEFAULT 0;
        CREATE UNIQUE INDEX ux_executions_event ON executions (parent_id, hand) WHERE trigger = 'event';
        """;

    // A delivery taken over from a sender that died (or whose claim ran out) may have reached the platform
    // already: counting takeovers tells a possible repeat from a certain first send.
    public const string V7Sql = """
        ALTER TABLE outbox ADD COLUMN takeovers INTEGER NOT NULL DEFAULT 0;
        """;

    /// <summary>All steps in version order; the last one's version is the schema this code reads and writes.</summary>
    public static IReadOnlyList<Migration> All { get; } =
    [
        new(1, "hands, executions, approvals", V1Sql),
        new(2, "outbox, approval messages, audit log, settings; agent state, summaries, auto-approval, last error", V2Sql),
        new(3, "last outcome per hand", V3Sql),
        new(4, "seen keys (replay protection)", V4Sql),
        new(5, "durable work: run states, claims and leases, processes; decided approvals' messages; outbox claims", V5Sql),
        new(6, "webhook payloads, event runs once per parent, chain depth", V6Sql),
        new(7, "outbox takeovers", V7Sql),
    ];

    public static int LatestVersion => All[^1].Version;
}
