namespace HandsBot.Core.Running;

/// <summary>Runs a child process to completion, timeout or cancellation, and never leaves any of its processes behind.</summary>
public interface IProcessRunner
{
    /// <summary>
    /// Runs <paramref name="spec"/>. Never throws for the child's failures: a start failure, timeout or
    /// cancellation is reported in the result.
    /// </summary>
    Task<ProcessResult> RunAsync(ProcessSpec spec, CancellationToken ct);
}
