using System.Globalization;
using System.Text;
using HandsBot.Core.Running;

namespace HandsBot.Agents.Tools;

/// <summary>
/// Runs a tool for the model: the arguments JSON on stdin, in the hand's folder, with the tool's
/// timeout and a clean environment. Every failure becomes text for the model, never an exception
/// (only cancellation of the run propagates).
/// </summary>
internal sealed class ToolInvoker(IProcessRunner processes)
{
    /// <summary>Most of a tool's stdout that is given to the model; the rest is cut with a note.</summary>
    public const int MaxResultChars = 16_000;
    private const int MaxStderrChars = 2_000;

    public async Task<ToolOutcome> InvokeAsync(ToolDefinition tool, string argumentsJson, ToolRunContext context, CancellationToken ct)
    {
        var spec = new ProcessSpec
        {
            FileName = tool.ExecutablePath,
            WorkingDirectory = context.HandDirectory,
            StandardInput = argumentsJson,
            Timeout = tool.Timeout,
            StdoutLimitBytes = MaxResultChars * 4L,
            Environment = new Dictionary<string, string>(StringComparer.Ordinal)
            {
                ["HAND_NAME"] = context.HandName,
                ["HAND_EXECUTION_ID"] = context.ExecutionId,
                ["HAND_TOOL"] = tool.Name,
            },
        };

        var result = await processes.RunAsync(spec, ct).ConfigureAwait(false);
        if (result.Cancelled)
            ct.ThrowIfCancellationRequested();

        if (result.StartError is { } startError)
            return ToolOutcome.Failed($"error: tool {tool.Name} could not start: {startError}");
        if (result.TimedOut)
            return ToolOutcome.Failed($"error: tool {tool.Name} timed out after {Seconds(tool.Timeout)} s and was stopped");
        if (result.ExitCode is not 0)
        {
            var text = new StringBuilder($"error: tool {tool.Name} failed with exit code {result.ExitCode?.ToString(CultureInfo.InvariantCulture) ?? "(killed)"}");
            if (!string.IsNullOrWhiteSpace(result.StderrTail))
                text.Append("\nstderr: ").Append(Tail(result.StderrTail.Trim(), MaxStderrChars));
            if (!string.IsNullOrWhiteSpace(result.Stdout))
                text.Append("\nstdout: ").Append(Head(result.Stdout.Trim(), MaxStderrChars));
            return ToolOutcome.Failed(text.ToString());
        }

        var output = result.Stdout.Trim();
        if (output.Length == 0)
            return ToolOutcome.Succeeded("(the tool printed nothing)");
        var shown = Head(output, MaxResultChars);
        return ToolOutcome.Succeeded(result.StdoutTruncated && shown.Length == output.Length ? shown + "\n[… output cut]" : shown);
    }

    private static string Seconds(TimeSpan t) => t.TotalSeconds.ToString("0.###", CultureInfo.InvariantCulture);

    private static string Head(string text, int max) =>
        text.Length <= max ? text : text[..max] + $"\n[… {text.Length - max} more characters cut]";

    private static string Tail(string text, int max) =>
        text.Length <= max ? text : "[…]" + text[^max..];
}

/// <summary>Who runs a tool: the hand (its folder is the working directory) and the execution.</summary>
internal sealed record ToolRunContext(string HandName, string HandDirectory, string ExecutionId);

/// <summary>The text returned to the model, and whether the tool did its job.</summary>
internal sealed record ToolOutcome(string Text, bool Success)
{
    public static ToolOutcome Succeeded(string text) => new(text, true);
    public static ToolOutcome Failed(string text) => new(text, false);
}
