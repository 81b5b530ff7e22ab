namespace HandsBot.Core.Running;

/// <summary>How a child process ended and what it wrote.</summary>
public sealed record ProcessResult
{
    /// <summary>Null when the child was killed (timeout, cancellation) or never started.</summary>
    public int? ExitCode { get; init; }

    /// <summary>Stdout as UTF-8, cut at <see cref="ProcessSpec.StdoutLimitBytes"/> when set.</summary>
    public required string Stdout { get; init; }

    /// <summary>The last <see cref="ProcessSpec.StderrTailBytes"/> bytes of stderr as UTF-8.</summary>
    public required string StderrTail { get; init; }

    /// <summary>True when stdout went over <see cref="ProcessSpec.StdoutLimitBytes"/> and was cut.</summary>
    public bool StdoutTruncated { get; init; }

    public bool TimedOut { get; init; }

    /// <summary>The caller's CancellationToken fired.</summary>
    public bool Cancelled { get; init; }

    public DateTimeOffset StartedAt { get; init; }

    public DateTimeOffset CompletedAt { get; init; }

    /// <summary>Why the child could not start (program missing, not executable, no working directory).</summary>
    public string? StartError { get; init; }

    /// <summary>True when the child ran to its own exit with code 0.</summary>
    public bool Succeeded => ExitCode == 0 && StartError is null && !TimedOut && !Cancelled;
}
