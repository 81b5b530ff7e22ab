using HandsBot.Core.Model;

namespace HandsBot.Core.Text;

/// <summary>The one place that names outcomes, triggers and decisions in words, for chat, CLI and notices alike.</summary>
public static class Words
{
    public static string Outcome(ExecutionOutcome? outcome) => outcome switch
    {
        null => "running",
        ExecutionOutcome.Success => "success",
        ExecutionOutcome.Failure => "failed",
        ExecutionOutcome.Timeout => "timed out",
        ExecutionOutcome.Skipped => "skipped",
        ExecutionOutcome.Cancelled => "cancelled",
        ExecutionOutcome.Interrupted => "interrupted",
        ExecutionOutcome.ApprovalPending => "waiting for approval",
        ExecutionOutcome.Missed => "missed",
        _ => outcome.Value.ToString().ToLowerInvariant(),
    };

    /// <summary>The trigger as hands see it in HAND_TRIGGER.</summary>
    public static string Trigger(RunTrigger trigger) => trigger switch
    {
        RunTrigger.Schedule => "schedule",
        RunTrigger.Manual => "manual",
        RunTrigger.Retry => "retry",
        RunTrigger.Webhook => "webhook",
        RunTrigger.Event => "event",
        _ => "approval",
    };

    public static string Approval(ApprovalStatus status) => status switch
    {
        ApprovalStatus.Approved => "approved",
        ApprovalStatus.Rejected => "rejected",
        ApprovalStatus.AutoApproved => "auto-approved",
        ApprovalStatus.Expired => "expired",
        _ => "pending",
    };
}
