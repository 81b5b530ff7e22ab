using HandsBot.Core.Delivery;
using HandsBot.Core.Model;
using HandsBot.Core.Notices;
using HandsBot.Core.Storage;
using HandsBot.Core.Text;
using HandsBot.Core.Util;

namespace HandsBot.Core.Engine;

/// <summary>
/// Turns how a run ended into everything its finish writes at once: the approvals its requests and its
/// broadcast gate open (with their request messages), its output or failure notice for the hand's
/// channels and file drop, and how the hand's counters count it.
/// </summary>
public sealed class RunFinisher(Outbox outbox, DeliveryRouter router, TimeProvider time)
{
    private const int MaxErrorChars = 2000;

    /// <summary>
    /// The finish of <paramref name="run"/>. <paramref name="children"/> (event runs its end starts) are
    /// admitted with it, unless a broadcast gate holds the output: then its approval releases them.
    /// </summary>
    public RunFinish Compose(RunPlan plan, ExecutionRecord run, RunOutcome result, string owner, IReadOnlyList<RunAdmission>? children = null)
    {
        var manifest = plan.Hand.Manifest!;
        var now = time.GetUtcNow();
        var replyTo = ApprovalContext.ParseTarget(run.ReplyTo);
        var outcome = result.Outcome;
        var approvals = new List<ApprovalRecord>();
        var items = new List<OutboxItem>();
        var files = new List<string>();
        var finished = run with { Outcome = outcome, CompletedAt = now };
        var held = false;

        if (outcome is ExecutionOutcome.Success or ExecutionOutcome.ApprovalPending)
        {
            foreach (var request in result.Requests)
            {
                var gate = manifest.FindGate(request.Gate)!;
                if (gate.IsBroadcast && !request.IsAgentCall) continue; // the output is held below anyway
                var kind = request.IsAgentCall ? ApprovalContext.AgentKind : ApprovalContext.ActionKind;
                var context = new ApprovalContext { Kind = kind, DataJson = request.DataJson, ReplyTo = run.ReplyTo };
                approvals.Add(OpenApproval(plan.Hand, run, gate, request.Summary, context, items, replyTo, now));
            }
            var broadcast = manifest.BroadcastGate;
            if (outcome == ExecutionOutcome.Success && broadcast is not null && !string.IsNullOrWhiteSpace(result.Output))
            {
                var context = new ApprovalContext { Kind = ApprovalContext.BroadcastKind, Output = result.Output, Format = manifest.Output.Format, ReplyTo = run.ReplyTo };
                approvals.Add(OpenApproval(plan.Hand, run, broadcast, $"Post the output of {plan.HandName} run {ShortIds.Short(run.Id)}", context, items, replyTo, now));
                // A child would pass on what no human has approved yet.
                held = true;
            }
            else if (outcome == ExecutionOutcome.Success)
            {
                items.AddRange(OutputItems(manifest, finished, result.Output, replyTo, files));
            }
            if (approvals.Count > 0) outcome = ExecutionOutcome.ApprovalPending;
        }
        else if (outcome != ExecutionOutcome.Cancelled || replyTo is not null)
        {
            items.AddRange(FailureItems(manifest, finished, outcome, result.Error, replyTo));
        }

        var error = Truncate(result.Error);
        // The counters count the work: a run that succeeded and now waits for approval counts as a success.
        var counted = outcome == ExecutionOutcome.ApprovalPending ? ExecutionOutcome.Success : outcome;
        return new RunFinish
        {
            Id = run.Id,
            Attempt = run.Attempt,
            Owner = owner,
            Hand = run.Hand,
            Outcome = outcome,
            CompletedAt = now,
            Output = result.Output,
            OutputTruncated = result.OutputTruncated,
            Error = error,
            Stderr = result.Stderr,
            Files = files,
            Prompt = result.Prompt,
            State = result.State,
            Counted = counted,
            CountedError = counted == ExecutionOutcome.Success ? null : error,
            Approvals = approvals,
            Outbox = items,
            Triggers = held ? [] : children ?? [],
        };
    }

    /// <summary>
    /// A run's output for the hand's channels (and whoever asked), and its file drop (whose path is added to
    /// <paramref name="files"/>). Also what a held broadcast releases on approval.
    /// </summary>
    public IReadOnlyList<OutboxItem> OutputItems(HandManifest manifest, ExecutionRecord run, string? output, ChannelTarget? replyTo, List<string> files)
    {
        if (string.IsNullOrWhiteSpace(output))
        {
            // Nothing to post to the channels; tell whoever asked that it finished.
            return replyTo is null ? [] : outbox.Compose($"exec:{run.Id}:output", RunNotices.NoOutput(run), [replyTo], run.Id, null);
        }
        var content = RunNotices.Output(manifest, run, output);
        var targets = router.Resolve(manifest, replyTo).ToList();
        if (router.FileDrop(manifest) is { } drop)
        {
            targets.Add(drop);
            files.Add(FileDropChannel.PathFor(drop.ChatId, content.FileName!));
        }
        return outbox.Compose($"exec:{run.Id}:output", content, targets, run.Id, null);
    }

    /// <summary>A failure notice for the hand's channels (interrupted runs too).</summary>
    public IReadOnlyList<OutboxItem> FailureItems(HandManifest manifest, ExecutionRecord run, ExecutionOutcome outcome, string? error, ChannelTarget? replyTo) =>
        outbox.Compose($"exec:{run.Id}:failure", RunNotices.Failure(run, outcome, error), router.Resolve(manifest, replyTo), run.Id, null);

    private ApprovalRecord OpenApproval(HandDefinition hand, ExecutionRecord run, ApprovalGate gate, string summary, ApprovalContext context, List<OutboxItem> items, ChannelTarget? replyTo, DateTimeOffset now)
    {
        var approval = new ApprovalRecord
        {
            Id = ShortIds.NewId(),
            Reference = ShortIds.NewReference(),
            Hand = hand.Name,
            ExecutionId = run.Id,
            Gate = gate.Key,
            Action = gate.Action,
            Description = gate.Description,
            Summary = summary,
            ContextJson = context.ToJson(),
            CreatedAt = now,
            ExpiresAt = gate.ExpiresAfter is { } e ? now + e : null,
            AutoApproveAt = gate.AutoApproveAfter is { } a ? now + a : null,
        };
        var preview = context.Kind == ApprovalContext.BroadcastKind ? context.Output : context.DataJson;
        items.AddRange(outbox.Compose($"approval:{approval.Id}:request", RunNotices.ApprovalRequest(approval, preview, now), router.Resolve(hand.Manifest!, replyTo), run.Id, approval.Id, approvalRequest: true));
        return approval;
    }

    private static string? Truncate(string? text) => text is null ? null : TextCut.Truncate(text, MaxErrorChars, "…");
}
