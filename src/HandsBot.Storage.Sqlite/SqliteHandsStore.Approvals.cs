using HandsBot.Core.Model;
using HandsBot.Core.Storage;
using HandsBot.Storage.Sqlite.Mapping;
using Microsoft.Data.Sqlite;

namespace HandsBot.Storage.Sqlite;

public sealed partial class SqliteHandsStore
{
    private const string ApprovalColumns = """
        id, reference, hand, execution_id, gate, action, description, summary, context, status,
        created_at, expires_at, auto_approve_at, resolved_at, resolved_by
        """;

    /// <summary>Inserts a new approval. A duplicate id or reference throws.</summary>
    public Task InsertApprovalAsync(ApprovalRecord approval, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(approval);
        return ExecuteAsync(
            $"""
            INSERT INTO approvals ({ApprovalColumns})
            VALUES (@id, @reference, @hand, @execution_id, @gate, @action, @description, @summary, @context, @status,
                    @created_at, @expires_at, @auto_approve_at, @resolved_at, @resolved_by);
            """,
            c => c.With("@id", approval.Id)
                  .With("@reference", approval.Reference)
                  .With("@hand", approval.Hand)
                  .With("@execution_id", approval.ExecutionId)
                  .With("@gate", approval.Gate)
                  .With("@action", approval.Action)
                  .With("@description", approval.Description)
                  .With("@summary", approval.Summary)
                  .With("@context", approval.ContextJson)
                  .With("@status", SnakeCaseEnum<ApprovalStatus>.ToText(approval.Status))
                  .With("@created_at", UnixTime.ToMs(approval.CreatedAt))
                  .With("@expires_at", UnixTime.ToDb(approval.ExpiresAt))
                  .With("@auto_approve_at", UnixTime.ToDb(approval.AutoApproveAt))
                  .With("@resolved_at", UnixTime.ToDb(approval.ResolvedAt))
                  .With("@resolved_by", approval.ResolvedBy),
            ct);
    }

    public Task<ApprovalRecord?> GetApprovalAsync(string id, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(id);
        return QuerySingleAsync($"SELECT {ApprovalColumns} FROM approvals WHERE id = @id;", c => c.With("@id", id), ReadApproval, ct);
    }

    /// <summary>The approval with exactly this reference (case-sensitive).</summary>
    public Task<ApprovalRecord?> GetApprovalByReferenceAsync(string reference, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(reference);
        return QuerySingleAsync(
            $"SELECT {ApprovalColumns} FROM approvals WHERE reference = @reference;",
            c => c.With("@reference", reference),
            ReadApproval,
            ct);
    }

    /// <summary>
    /// Approvals whose reference or id starts with the prefix, ASCII case-insensitively; LIKE wildcards
    /// (<c>%</c>, <c>_</c>) in the prefix match only themselves. Newest first.
    /// </summary>
    public Task<IReadOnlyList<ApprovalRecord>> FindApprovalsByPrefixAsync(string prefix, int limit, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(prefix);
        RequirePositive(limit, nameof(limit));
        return QueryAsync(
            $"""
            SELECT {ApprovalColumns} FROM approvals
            WHERE reference LIKE @pattern ESCAPE '\' OR id LIKE @pattern ESCAPE '\'
            ORDER BY created_at DESC, id DESC LIMIT @limit;
            """,
            c => c.With("@pattern", SqliteExtensions.StartsWithPattern(prefix)).With("@limit", limit),
            ReadApproval,
            ct);
    }

    /// <summary>Pending approvals, oldest first.</summary>
    public Task<IReadOnlyList<ApprovalRecord>> ListPendingApprovalsAsync(CancellationToken ct = default) =>
        QueryAsync(
            $"SELECT {ApprovalColumns} FROM approvals WHERE status = 'pending' ORDER BY created_at, id;",
            _ => { },
            ReadApproval,
            ct);

    /// <summary>The execution's approvals, oldest first.</summary>
    public Task<IReadOnlyList<ApprovalRecord>> ListApprovalsForExecutionAsync(string executionId, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(executionId);
        return QueryAsync(
            $"SELECT {ApprovalColumns} FROM approvals WHERE execution_id = @execution_id ORDER BY created_at, id;",
            c => c.With("@execution_id", executionId),
            ReadApproval,
            ct);
    }

    /// <summary>
    /// Decides a pending approval with a single conditional UPDATE, so of any number of concurrent callers
    /// exactly one gets true. False when the approval was already decided.
    /// </summary>
    /// <exception cref="ArgumentException"><paramref name="status"/> is <see cref="ApprovalStatus.Pending"/>.</exception>
    /// <exception cref="KeyNotFoundException">No approval has this id.</exception>
    public Task<bool> TryResolveApprovalAsync(string id, ApprovalStatus status, string resolvedBy, DateTimeOffset at, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(id);
        ArgumentNullException.ThrowIfNull(resolvedBy);
        if (status == ApprovalStatus.Pending)
        {
            throw new ArgumentException("An approval cannot be resolved to Pending.", nameof(status));
        }

        return WriteAsync(
            async connection =>
            {
                await using (var update = connection.Command(
                    """
                    UPDATE approvals SET status = @status, resolved_by = @resolved_by, resolved_at = @resolved_at
                    WHERE id = @key AND status = 'pending';
                    """))
                {
                    update.With("@key", id)
                          .With("@status", SnakeCaseEnum<ApprovalStatus>.ToText(status))
                          .With("@resolved_by", resolvedBy)
                          .With("@resolved_at", UnixTime.ToMs(at));
                    if (await update.ExecuteNonQueryAsync(ct).ConfigureAwait(false) == 1)
                    {
                        return true;
                    }
                }

                return await ExistsAsync(connection, "SELECT 1 FROM approvals WHERE id = @key;", id, ct).ConfigureAwait(false)
                    ? false
                    : throw new KeyNotFoundException($"No approval with id '{id}' is in the store.");
            },
            ct);
    }

    /// <summary>Remembers a chat message showing the request. Adding the same message again is a no-op.</summary>
    /// <exception cref="SqliteException">The approval does not exist (foreign key).</exception>
    public Task AddApprovalMessageAsync(ApprovalMessage message, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(message);
        return ExecuteAsync(
            """
            INSERT INTO approval_messages (approval_id, platform, chat_id, thread_id, message_id)
            VALUES (@approval_id, @platform, @chat_id, @thread_id, @message_id)
            ON CONFLICT (approval_id, platform, chat_id, message_id) DO NOTHING;
            """,
            c => c.With("@approval_id", message.ApprovalId)
                  .With("@platform", message.Platform)
                  .With("@chat_id", message.ChatId)
                  .With("@thread_id", message.ThreadId)
                  .With("@message_id", message.MessageId),
            ct);
    }

    /// <summary>The approval's messages in the order they were added.</summary>
    public Task<IReadOnlyList<ApprovalMessage>> ListApprovalMessagesAsync(string approvalId, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(approvalId);
        return QueryAsync(
            "SELECT approval_id, platform, chat_id, thread_id, message_id FROM approval_messages WHERE approval_id = @approval_id ORDER BY id;",
            c => c.With("@approval_id", approvalId),
            r => new ApprovalMessage(r.GetString(0), r.GetString(1), r.GetString(2), r.GetNullableString(3), r.GetString(4)),
            ct);
    }

    private static ApprovalRecord ReadApproval(SqliteDataReader r) => new()
    {
        Id = r.GetString(0),
        Reference = r.GetString(1),
        Hand = r.GetString(2),
        ExecutionId = r.GetString(3),
        Gate = r.GetString(4),
        Action = r.GetString(5),
        Description = r.GetString(6),
        Summary = r.GetString(7),
        ContextJson = r.GetString(8),
        Status = r.GetEnum<ApprovalStatus>(9),
        CreatedAt = r.GetTime(10),
        ExpiresAt = r.GetNullableTime(11),
        AutoApproveAt = r.GetNullableTime(12),
        ResolvedAt = r.GetNullableTime(13),
        ResolvedBy = r.GetNullableString(14),
    };
}
