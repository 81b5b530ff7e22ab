using System.Globalization;
using System.Text;
using System.Text.Json;
using HandsBot.Core.Model;
using HandsBot.Core.Running;
using HandsBot.Core.Text;
using Microsoft.Extensions.Logging;

namespace HandsBot.Core.Engine;

/// <summary>
/// Runs a command hand once: its environment (never the bot's secrets), a scratch folder with the
/// HAND_REQUESTS file, the process with its timeout and the output cap, and what the run asked for.
/// </summary>
public sealed partial class CommandHandRunner(IProcessRunner processes, EnginePaths paths, ILogger<CommandHandRunner> logger)
{
    private const int MaxErrorChars = 2000;

    public async Task<RunOutcome> RunAsync(RunPlan plan, ExecutionRecord execution, long outputCap, Action<int> onStarted, CancellationToken ct)
    {
        var manifest = plan.Hand.Manifest!;
        var scratch = paths.RunScratch(execution.Id);
        Directory.CreateDirectory(scratch);
        var requestsFile = Path.Combine(scratch, "requests.jsonl");
        await File.WriteAllTextAsync(requestsFile, "", CancellationToken.None).ConfigureAwait(false);
        // The scratch folder outlives this method: the worker removes it once the run's end is recorded.
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
        var omitted = await Triggers.TriggerInputs.AddAsync(manifest, execution, plan.Parent, scratch, env, ct).ConfigureAwait(false);
        if (omitted.Count > 0) LogParamsOmitted(execution.Id, plan.HandName, string.Join(", ", omitted), manifest.Webhook!.MaxParam);
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

        var spec = CommandLine.ForRunSpec(run, plan.Hand.Directory, env) with { StdoutLimitBytes = outputCap, OnStarted = onStarted };
        var process = await processes.RunAsync(spec, ct).ConfigureAwait(false);
        var output = process.StdoutTruncated ? process.Stdout + TruncationNote(outputCap) : process.Stdout;
        if (process.StartError is { } startError) return new RunOutcome(ExecutionOutcome.Failure, null, startError, null);
        if (process.Cancelled) return new RunOutcome(ExecutionOutcome.Cancelled, output, "cancelled", process.StderrTail) { OutputTruncated = process.StdoutTruncated };
        if (process.TimedOut) return new RunOutcome(ExecutionOutcome.Timeout, output, $"timed out after {run.Timeout.TotalSeconds:0} s; the process tree was killed", process.StderrTail) { OutputTruncated = process.StdoutTruncated };
        if (process.ExitCode != 0)
        {
            return new RunOutcome(ExecutionOutcome.Failure, output, ErrorFromStderr(process.ExitCode, process.StderrTail), process.StderrTail) { OutputTruncated = process.StdoutTruncated };
        }
        if (manifest.Output.Format == OutputFormat.Json && !process.StdoutTruncated && !IsValidJson(process.Stdout, out var jsonError))
        {
            return new RunOutcome(ExecutionOutcome.Failure, output, $"output format is json but stdout is not valid JSON: {jsonError}", process.StderrTail);
        }

        var requests = await HandRequests.ReadAsync(requestsFile, manifest).ConfigureAwait(false);
        if (requests.Error is { } requestError) return new RunOutcome(ExecutionOutcome.Failure, output, requestError, process.StderrTail);
        return new RunOutcome(ExecutionOutcome.Success, output, null, process.StderrTail) { Requests = requests.Items, OutputTruncated = process.StdoutTruncated };
    }

    /// <summary>The line added where output was cut.</summary>
    public static string TruncationNote(long cap) =>
        string.Create(CultureInfo.InvariantCulture, $"\n\n… output cut: the run wrote more than {cap / (1024.0 * 1024):0.#} MiB ([output] max_output_bytes); the rest was discarded.\n");

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

    [LoggerMessage(Level = LogLevel.Warning, Message = "Run {Execution} of {Hand}: webhook parameters {Names} left out (over [webhook] max_param = {Limit} bytes, or not text)")]
    private partial void LogParamsOmitted(string execution, string hand, string names, int limit);
}
