using System.Globalization;
using System.Text;
using HandsBot.Core.Buttons;
using HandsBot.Core.Delivery;
using HandsBot.Core.Model;
using HandsBot.Core.Text;
using HandsBot.Core.Util;

namespace HandsBot.Core.Notices;

/// <summary>
/// What HandsBot says on its own, worded once: a run's output, a failure notice, an approval request and
/// its decision. The engine decides what happened; this says it.
/// </summary>
public static class RunNotices
{
    private const int MaxErrorChars = 1500;

    /// <summary>A run's output for the hand's channels.</summary>
    public static OutgoingContent Output(HandManifest manifest, ExecutionRecord run, string output) => new()
    {
        Text = output,
        Format = manifest.Output.Format,
        Title = $"{run.Hand} · {TimeText.InZone(run.StartedAt, manifest.Schedule?.TimeZone ?? "UTC")}",
        FileName = FileName(run.Hand, run.StartedAt, manifest.Output.Format),
    };

    /// <summary>For whoever asked: the run finished but wrote nothing.</summary>
    public static OutgoingContent NoOutput(ExecutionRecord run) =>
        new() { Text = $"**{Md.Escape(run.Hand)}** finished (run `{ShortIds.Short(run.Id)}`) with no output." };

    /// <summary>A run that did not succeed: outcome, run, trigger, the error, and where to look.</summary>
    public static OutgoingContent Failure(ExecutionRecord run, ExecutionOutcome outcome, string? error)
    {
        var text = new StringBuilder();
        text.Append(CultureInfo.InvariantCulture, $"**{Md.Escape(run.Hand)}**: {Words.Outcome(outcome)} (run `{ShortIds.Short(run.Id)}`, {Words.Trigger(run.Trigger)})");
        if (!string.IsNullOrWhiteSpace(error)) text.Append('\n').Append(Md.Block(TextCut.Truncate(error, MaxErrorChars, "…")));
        text.Append(CultureInfo.InvariantCulture, $"\nSee /history {run.Hand} or /status {run.Hand}.");
        return new OutgoingContent { Text = text.ToString() };
    }

    public static OutgoingContent ApprovalRequest(ApprovalRecord approval, string? preview, DateTimeOffset now)
    {
        var text = new StringBuilder();
        text.Append(CultureInfo.InvariantCulture, $"**Approval needed** · {Md.Escape(approval.Hand)} · {Md.Escape(approval.Gate)}");
        if (!string.IsNullOrWhiteSpace(approval.Description)) text.Append(CultureInfo.InvariantCulture, $" — {Md.Escape(approval.Description)}");
        text.Append("\n\n");
        if (!string.IsNullOrWhiteSpace(approval.Summary)) text.Append(Md.Escape(approval.Summary)).Append("\n\n");
        if (!string.IsNullOrWhiteSpace(preview)) text.Append(Md.Block(TextCut.Truncate(preview, 1200, "\n…"))).Append('\n');
        text.Append(CultureInfo.InvariantCulture, $"Ref `{approval.Reference}`");
        if (approval.AutoApproveAt is { } auto) text.Append(CultureInfo.InvariantCulture, $" · approves itself {TimeText.Relative(auto, now)}");
        if (approval.ExpiresAt is { } exp) text.Append(CultureInfo.InvariantCulture, $" · expires {TimeText.Relative(exp, now)}");
        text.Append(CultureInfo.InvariantCulture, $"\nTap a button, or send /approve {approval.Reference} or /reject {approval.Reference}.");
        return new OutgoingContent
        {
            Text = text.ToString(),
            Buttons =
            [
                [
                    new ChatButton("Approve", ButtonCodec.Approve(approval.Reference), ButtonStyle.Success),
                    new ChatButton("Reject", ButtonCodec.Reject(approval.Reference), ButtonStyle.Danger),
                ],
            ],
        };
    }

    /// <summary>What every message that showed the request says once it is decided (buttons removed).</summary>
    public static OutgoingContent ApprovalDecided(ApprovalRecord approval)
    {
        var verdict = approval.Status switch
        {
            ApprovalStatus.Approved => $"✅ Approved by {approval.ResolvedBy}",
            ApprovalStatus.Rejected => $"❌ Rejected by {approval.ResolvedBy}",
            ApprovalStatus.AutoApproved => "✅ Approved automatically (no decision in time)",
            ApprovalStatus.Expired when approval.Reason is { Length: > 0 } reason => $"⌛ Expired: {reason}",
            ApprovalStatus.Expired => "⌛ Expired without a decision (treated as rejected)",
            _ => "Pending",
        };
        var when = approval.ResolvedAt is { } at ? " at " + TimeText.Utc(at) : "";
        var text = $"**{Md.Escape(approval.Hand)} · {Md.Escape(approval.Gate)}**\n{Md.Escape(approval.Summary)}\n\n{Md.Escape(verdict + when)} · ref `{approval.Reference}`";
        return new OutgoingContent { Text = text };
    }

    public static string FileName(string hand, DateTimeOffset startedAt, OutputFormat format) =>
        $"{hand}_{startedAt.UtcDateTime:yyyyMMdd'T'HHmmss'Z'}.{Extension(format)}";

    public static string Extension(OutputFormat format) => format switch
    {
        OutputFormat.Json => "json",
        OutputFormat.Html => "html",
        OutputFormat.Text => "txt",
        _ => "md",
    };
}
