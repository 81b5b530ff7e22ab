namespace HandsBot.Core.Running;

/// <summary>What to run, where, with which input and environment, and for how long.</summary>
public sealed record ProcessSpec
{
    /// <summary>
    /// The program: an absolute path, a path relative to <see cref="WorkingDirectory"/> (contains a '/'),
    /// or a bare name searched on the child's PATH.
    /// </summary>
    public required string FileName { get; init; }

    public IReadOnlyList<string> Arguments { get; init; } = [];

    public required string WorkingDirectory { get; init; }

    /// <summary>
    /// Added to a minimal base (PATH, HOME, LANG, TZ if set, TMPDIR), overriding it. Nothing else from the
    /// bot's environment reaches the child, so the bot's secrets never leak into a hand.
    /// </summary>
    public IReadOnlyDictionary<string, string> Environment { get; init; } = new Dictionary<string, string>();

    /// <summary>Written to the child's stdin, which is then closed; null gives an empty stdin.</summary>
    public string? StandardInput { get; init; }

    /// <summary>Real time the child may run before its whole process tree is killed.</summary>
    public required TimeSpan Timeout { get; init; }

    /// <summary>Only the last N bytes of stderr are kept.</summary>
    public int StderrTailBytes { get; init; } = 64 * 1024;

    /// <summary>Stdout beyond this many bytes is read and discarded; null keeps it whole.</summary>
    public long? StdoutLimitBytes { get; init; }

    /// <summary>Called once the child runs, with its pid (the leader of its own process group).</summary>
    public Action<int>? OnStarted { get; init; }
}
