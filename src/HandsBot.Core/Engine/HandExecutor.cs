using System.Globalization;
using System.Text;
using System.Text.Json;
using HandsBot.Core.Chat;
using HandsBot.Core.Delivery;
using HandsBot.Core.Model;
using HandsBot.Core.Running;
using HandsBot.Core.Storage;
using HandsBot.Core.Util;
using Microsoft.Extensions.Logging;
using HandsBot.Core.Text;

namespace HandsBot.Core.Engine;

/// <summary>
/// Runs one execution of a hand to its end: the command (or the agent), the requests it wrote,
/// its broadcast gate, file_drop, counters, and the delivery of its output. The execution record is
/// already in the store (running); this method always completes it.
/// </summary>
public sealed class HandExecutor(
    IHandsStore store,
    IProcessRunner processes,
    IEnumerable<IAgentRunner> agents,
    ApprovalRequests approvals,
    Outbox outbox,
    DeliveryRouter router,
    EnginePaths paths,
    TimeProvider time,
    ILogger<HandExecutor> logger)
{
    private const int MaxErrorChars = 2000;

    public async Task<ExecutionRecord> ExecuteAsync(RunPlan plan, ExecutionRecord execution, CancellationToken ct)
    {
        var manifest = plan.Hand.Manifest!;
        RunOutcome result;
        try
        {
            result = manifest.IsAgent
                ? await RunAgentAsync(plan, execution, ct).ConfigureAwait(false)
                : await RunCommandAsync(plan, execution, ct).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (ct.IsCancellationRequested)
        {
            result = new RunOutcome(ExecutionOutcome.Cancelled, null, "cancelled", null);
        }
        catch (Exception ex)
        {
            logger.LogError(ex, "Execution {Execution} of {Hand} failed unexpectedly", execution.Id, plan.HandName);
            result = new RunOutcome(ExecutionOutcome.Failure, null, "internal error: " + ex.Message, null);
        }
        return await FinishAsync(plan, execution, result).ConfigureAwait(false);
    }

    private async Task<RunOutcome> RunCommandAsync(RunPlan plan, ExecutionRecord execution, CancellationToken ct)
    {
        var manifest = plan.Hand.Manifest!;
        var scratch = paths.RunScratch(execution.Id);
        Directory.CreateDirectory(scratch);
        var requestsFile = Path.Combine(scratch, "requests.jsonl");
        await File.WriteAllTextAsync(requestsFile, "", CancellationToken.None).ConfigureAwait(false);
        try
        {
            var env = new Dictionary<string, string>
            {
                ["HAND_NAME"] = plan.HandName,
                ["HAND_DIR"] = plan.Hand.Directory,
                ["HAND_RUN_ID"] = execution.Id,
                ["HAND_TRIGGER"] = Words.Trigger(plan.Trigger),
                ["HAND_PARAMETERS"] = manifest.ParametersJson,
                ["HAND_OUTPUT_FORMAT"] = manifest.Output.Format.ToString().ToLowerInvariant(),
                ["HAND_REQUESTS"] = requestsFile,
            };
            AddParameterVariables(manifest.ParametersJson, env);
            var run = manifest.Run!;
            if (plan.Decision is { } decision)
            {
                var gate = manifest.FindGate(decision.Approval.Gate);
                var context = ApprovalContext.FromJson(decision.Approval.ContextJson);
                env["HAND_APPROVAL_ID"] = decision.Approval.Reference;
                env["HAND_APPROVAL_DATA"] = context.DataJson ?? "{}";
                env["HAND_DECIDED_BY"] = decision.DecidedBy;
                if (gate?.Command is { } gateCommand) run = gateCommand;
                else env["HAND_APPROVED_GATE"] = decision.Approval.Gate;
            }

            var spec = CommandLine.ForRunSpec(run, plan.Hand.Directory, env);
            var process = await processes.RunAsync(spec, ct).ConfigureAwait(false);
            if (process.StartError is { } startError) return new RunOutcome(ExecutionOutcome.Failure, null, startError, null);
            if (process.Cancelled) return new RunOutcome(ExecutionOutcome.Cancelled, process.Stdout, "cancelled", process.StderrTail);
            if (process.TimedOut) return new RunOutcome(ExecutionOutcome.Timeout, process.Stdout, $"timed out after {run.Timeout.TotalSeconds:0} s; the process tree was killed", process.StderrTail);
            if (process.ExitCode != 0)
            {
                return new RunOutcome(ExecutionOutcome.Failure, process.Stdout, ErrorFromStderr(process.ExitCode, process.StderrTail), process.StderrTail);
            }
            if (manifest.Output.Format == OutputFormat.Json && !IsValidJson(process.Stdout, out var jsonError))
            {
                return new RunOutcome(ExecutionOutcome.Failure, process.Stdout, $"output format is json but stdout is not valid JSON: {jsonError}", process.StderrTail);
            }

            var requests = await ReadRequestsAsync(requestsFile, manifest).ConfigureAwait(false);
            if (requests.Error is { } requestError) return new RunOutcome(ExecutionOutcome.Failure, process.Stdout, requestError, process.StderrTail);
            return new RunOutcome(ExecutionOutcome.Success, process.Stdout, null, process.StderrTail) { Requests = requests.Items };
        }
        finally
        {
            TryDelete(scratch);
        }
    }

    private async Task<RunOutcome> RunAgentAsync(RunPlan plan, ExecutionRecord execution, CancellationToken ct)
    {
        var runner = agents.FirstOrDefault();
        if (runner is null) return new RunOutcome(ExecutionOutcome.Failure, null, "this is an agent hand (no [run] section) and agent hands are not available in this build", null);
        var context = new AgentRunContext(plan.Hand, execution, time.GetUtcNow());
        AgentRunResult result;
        if (plan.Decision is { } decision)
        {
            var parent = decision.Parent;
            if (parent.State is null) return new RunOutcome(ExecutionOutcome.Failure, null, $"cannot continue: execution {parent.Id} has no saved conversation", null);
            var status = decision.Approval.Status;
            result = await runner.ResumeAsync(context, parent.State, new GateDecision(decision.Approved, status, decision.DecidedBy), ct).ConfigureAwait(false);
        }
        else
        {
            result = await runner.RunAsync(context, ct).ConfigureAwait(false);
        }
        await store.SaveExecutionStateAsync(execution.Id, result.Prompt, result.State, CancellationToken.None).ConfigureAwait(false);
        var outcome = new RunOutcome(result.Outcome, result.Output, result.Error, null);
        if (result.Outcome == ExecutionOutcome.ApprovalPending && result.PendingCall is { } call)
        {
            outcome = outcome with { Requests = [new HandRequest(call.Gate, call.Summary, call.ArgumentsJson, IsAgentCall: true)] };
        }
        return outcome;
    }

    private async Task<ExecutionRecord> FinishAsync(RunPlan plan, ExecutionRecord execution, RunOutcome result)
    {
        // Completion must be recorded even while shutting down.
        var ct = CancellationToken.None;
        var manifest = plan.Hand.Manifest!;
        var now = time.GetUtcNow();
        var files = new List<string>();
        var outcome = result.Outcome;
        var pendingApprovals = 0;
        var replyTo = plan.ReplyTo ?? ReplyToOf(plan.Decision);
        var broadcastGate = manifest.BroadcastGate;

        if (outcome is ExecutionOutcome.Success or ExecutionOutcome.ApprovalPending)
        {
            if (outcome == ExecutionOutcome.Success && manifest.Output.FileDrop is { } drop && !string.IsNullOrEmpty(result.Output))
            {
                files.Add(await WriteFileDropAsync(drop, plan.HandName, manifest.Output.Format, result.Output, now).ConfigureAwait(false));
            }
            var running = execution with { Outcome = outcome };
            foreach (var request in result.Requests)
            {
                var gate = manifest.FindGate(request.Gate)!;
                if (gate.IsBroadcast && !request.IsAgentCall) continue; // the output is held below anyway
                var kind = request.IsAgentCall ? ApprovalContext.AgentKind : ApprovalContext.ActionKind;
                await approvals.CreateAsync(plan.Hand, running, gate, request.Summary, new ApprovalContext { Kind = kind, DataJson = request.DataJson, ReplyTo = ApprovalContext.FormatTarget(replyTo) }, ct).ConfigureAwait(false);
                pendingApprovals++;
            }
            if (outcome == ExecutionOutcome.Success && broadcastGate is not null && !string.IsNullOrWhiteSpace(result.Output))
            {
                var context = new ApprovalContext { Kind = ApprovalContext.BroadcastKind, Output = result.Output, Format = manifest.Output.Format, ReplyTo = ApprovalContext.FormatTarget(replyTo) };
                await approvals.CreateAsync(plan.Hand, running, broadcastGate, $"Post the output of {plan.HandName} run {ShortIds.Short(execution.Id)}", context, ct).ConfigureAwait(false);
                pendingApprovals++;
            }
            else if (outcome == ExecutionOutcome.Success)
            {
                await DeliverOutputAsync(plan, execution, result.Output, replyTo, ct).ConfigureAwait(false);
            }
            if (pendingApprovals > 0) outcome = ExecutionOutcome.ApprovalPending;
        }
        else if (outcome != ExecutionOutcome.Cancelled || replyTo is not null)
        {
            await DeliverFailureAsync(plan, execution, outcome, result.Error, replyTo, ct).ConfigureAwait(false);
        }

        // The counters count the work: a run that succeeded and now waits for approval counts as a success.
        var counted = outcome == ExecutionOutcome.ApprovalPending ? ExecutionOutcome.Success : outcome;
        await store.CompleteRunAsync(
            new ExecutionCompletion(execution.Id, outcome, now, result.Output, Truncate(result.Error), result.Stderr, files),
            plan.HandName,
            counted,
            counted == ExecutionOutcome.Success ? null : Truncate(result.Error),
            ct).ConfigureAwait(false);
        logger.LogInformation("Execution {Execution} of {Hand} ended: {Outcome} in {Duration}", execution.Id, plan.HandName, outcome, now - execution.StartedAt);
        return execution with { Outcome = outcome, CompletedAt = now, Output = result.Output, Error = Truncate(result.Error), Stderr = result.Stderr, Files = files };
    }

    /// <summary>Delivers a run's (or an approved broadcast's) output to the hand's channels.</summary>
    public Task DeliverOutputAsync(RunPlan plan, ExecutionRecord execution, string? output, ChannelTarget? replyTo, CancellationToken ct)
    {
        var manifest = plan.Hand.Manifest!;
        if (string.IsNullOrWhiteSpace(output))
        {
            // Nothing to post to the channels; tell whoever asked that it finished.
            if (replyTo is null) return Task.CompletedTask;
            var done = new OutgoingContent { Text = $"**{Md.Escape(plan.HandName)}** finished (run `{ShortIds.Short(execution.Id)}`) with no output." };
            return outbox.EnqueueAsync($"exec:{execution.Id}:output", done, [replyTo], execution.Id, null, ct);
        }
        var content = new OutgoingContent
        {
            Text = output,
            Format = manifest.Output.Format,
            Title = Title(plan, execution),
            FileName = $"{plan.HandName}_{execution.StartedAt.UtcDateTime:yyyyMMdd'T'HHmmss'Z'}.{Extension(manifest.Output.Format)}",
        };
        return outbox.EnqueueAsync($"exec:{execution.Id}:output", content, router.Resolve(manifest, replyTo), execution.Id, null, ct);
    }

    private Task DeliverFailureAsync(RunPlan plan, ExecutionRecord execution, ExecutionOutcome outcome, string? error, ChannelTarget? replyTo, CancellationToken ct)
    {
        var targets = router.Resolve(plan.Hand.Manifest!, replyTo);
        var text = new StringBuilder();
        text.Append(CultureInfo.InvariantCulture, $"**{Md.Escape(plan.HandName)}**: {Words.Outcome(outcome)} (run `{ShortIds.Short(execution.Id)}`, {Words.Trigger(plan.Trigger)})");
        if (!string.IsNullOrWhiteSpace(error)) text.Append('\n').Append(Md.Block(Truncate(error, 1500)!));
        text.Append(CultureInfo.InvariantCulture, $"\nSee /history {plan.HandName} or /status {plan.HandName}.");
        return outbox.EnqueueAsync($"exec:{execution.Id}:failure", new OutgoingContent { Text = text.ToString() }, targets, execution.Id, null, ct);
    }

    private static string Title(RunPlan plan, ExecutionRecord execution)
    {
        var zone = plan.Hand.Manifest!.Schedule?.TimeZone ?? "UTC";
        return $"{plan.HandName} · {TimeText.InZone(execution.StartedAt, zone)}";
    }

    private async Task<string> WriteFileDropAsync(string drop, string hand, OutputFormat format, string output, DateTimeOffset now)
    {
        var folder = paths.Resolve(drop);
        Directory.CreateDirectory(folder);
        var path = Path.Combine(folder, $"{hand}_{now.UtcDateTime:yyyyMMdd'T'HHmmss'Z'}.{Extension(format)}");
        await File.WriteAllTextAsync(path, output, CancellationToken.None).ConfigureAwait(false);
        return path;
    }

    private static async Task<RequestBatch> ReadRequestsAsync(string file, HandManifest manifest)
    {
        var items = new List<HandRequest>();
        var lines = await File.ReadAllLinesAsync(file, CancellationToken.None).ConfigureAwait(false);
        for (var i = 0; i < lines.Length; i++)
        {
            var line = lines[i].Trim();
            if (line.Length == 0) continue;
            var where = $"HAND_REQUESTS line {i + 1}";
            JsonElement root;
            try
            {
                root = JsonDocument.Parse(line).RootElement.Clone();
            }
            catch (JsonException ex)
            {
                return new RequestBatch([], $"{where}: not valid JSON ({ex.Message})");
            }
            if (root.ValueKind != JsonValueKind.Object || !root.TryGetProperty("gate", out var gateName) || gateName.ValueKind != JsonValueKind.String)
            {
                return new RequestBatch([], $"{where}: expected an object with a \"gate\" string");
            }
            var gate = manifest.FindGate(gateName.GetString()!);
            if (gate is null)
            {
                var known = manifest.Gates.Count == 0 ? "this hand has no [approval_gates]" : "gates: " + string.Join(", ", manifest.Gates.Select(g => g.Key));
                return new RequestBatch([], $"{where}: unknown gate '{gateName.GetString()}' ({known})");
            }
            var summary = root.TryGetProperty("summary", out var s) && s.ValueKind == JsonValueKind.String ? s.GetString()! : gate.Description;
            var data = root.TryGetProperty("data", out var d) ? d.GetRawText() : "{}";
            items.Add(new HandRequest(gate.Key, summary, data, IsAgentCall: false));
        }
        return new RequestBatch(items, null);
    }

    /// <summary>
    /// Scalar top-level [parameters] also arrive as HAND_PARAM_&lt;NAME&gt; (upper case, other characters
    /// as _), so shell hands need no JSON parser. Arrays of scalars are joined with spaces.
    /// </summary>
    internal static void AddParameterVariables(string parametersJson, Dictionary<string, string> env)
    {
        using var doc = JsonDocument.Parse(parametersJson);
        if (doc.RootElement.ValueKind != JsonValueKind.Object) return;
        foreach (var property in doc.RootElement.EnumerateObject())
        {
            var name = new StringBuilder("HAND_PARAM_");
            foreach (var c in property.Name) name.Append(char.IsAsciiLetterOrDigit(c) ? char.ToUpperInvariant(c) : '_');
            var value = Scalar(property.Value)
                ?? (property.Value.ValueKind == JsonValueKind.Array && property.Value.EnumerateArray().All(e => Scalar(e) is not null)
                    ? string.Join(' ', property.Value.EnumerateArray().Select(e => Scalar(e)))
                    : null);
            if (value is not null) env[name.ToString()] = value;
        }

        static string? Scalar(JsonElement e) => e.ValueKind switch
        {
            JsonValueKind.String => e.GetString(),
            JsonValueKind.Number => e.GetRawText(),
            JsonValueKind.True => "true",
            JsonValueKind.False => "false",
            _ => null,
        };
    }

    private static bool IsValidJson(string text, out string? error)
    {
        try
        {
            using var _ = JsonDocument.Parse(text);
            error = null;
            return true;
        }
        catch (JsonException ex)
        {
            error = ex.Message;
            return false;
        }
    }

    private static string ErrorFromStderr(int? exitCode, string stderrTail)
    {
        var tail = stderrTail.TrimEnd();
        var head = $"exited with code {exitCode}";
        if (tail.Length == 0) return head;
        if (tail.Length > MaxErrorChars) tail = "…" + tail[^MaxErrorChars..];
        return head + ": " + tail;
    }

    private static ChannelTarget? ReplyToOf(DecidedApproval? decision) =>
        decision is null ? null : ApprovalContext.ParseTarget(ApprovalContext.FromJson(decision.Approval.ContextJson).ReplyTo);

    public static string Extension(OutputFormat format) => format switch
    {
        OutputFormat.Json => "json",
        OutputFormat.Html => "html",
        OutputFormat.Text => "txt",
        _ => "md",
    };

    private static string? Truncate(string? text, int max = MaxErrorChars) => text is null ? null : TextCut.Truncate(text, max, "…");

    private void TryDelete(string folder)
    {
        try
        {
            Directory.Delete(folder, recursive: true);
        }
        catch (IOException ex)
        {
            logger.LogDebug(ex, "Could not remove scratch folder {Folder}", folder);
        }
    }

    private sealed record RequestBatch(IReadOnlyList<HandRequest> Items, string? Error);
}

/// <summary>A gated action a run asked for (a HAND_REQUESTS line or an agent's gated tool call).</summary>
public sealed record HandRequest(string Gate, string Summary, string DataJson, bool IsAgentCall);

/// <summary>How the work of a run ended, before approvals and delivery.</summary>
public sealed record RunOutcome(ExecutionOutcome Outcome, string? Output, string? Error, string? Stderr)
{
    public IReadOnlyList<HandRequest> Requests { get; init; } = [];
}
