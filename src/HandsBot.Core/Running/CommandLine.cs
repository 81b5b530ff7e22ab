using HandsBot.Core.Model;

namespace HandsBot.Core.Running;

/// <summary>Turns a hand's [run] section into a <see cref="ProcessSpec"/>.</summary>
public static class CommandLine
{
    /// <summary>The shell used for a command-line string.</summary>
    public const string Shell = "/bin/sh";

    /// <summary>
    /// A command-line string runs as <c>/bin/sh -c "…"</c>; an argv array runs directly, with an argv[0]
    /// containing a '/' (e.g. <c>./run.sh</c>) resolved against the hand's folder and a bare name searched on PATH.
    /// </summary>
    /// <exception cref="ArgumentException">The run has neither a command line nor a non-empty argv.</exception>
    public static ProcessSpec ForRunSpec(RunSpec run, string workingDirectory, IReadOnlyDictionary<string, string> env)
    {
        ArgumentNullException.ThrowIfNull(run);
        ArgumentException.ThrowIfNullOrEmpty(workingDirectory);
        ArgumentNullException.ThrowIfNull(env);

        if (!string.IsNullOrWhiteSpace(run.CommandLine))
        {
            return new ProcessSpec
            {
                FileName = Shell,
                Arguments = ["-c", run.CommandLine],
                WorkingDirectory = workingDirectory,
                Environment = env,
                Timeout = run.Timeout,
            };
        }

        if (run.Argv is not { Count: > 0 } argv || string.IsNullOrWhiteSpace(argv[0]))
        {
            throw new ArgumentException("The run has neither a command line nor an argv whose first item names a program.", nameof(run));
        }

        var program = argv[0];
        var fileName = program.Contains('/', StringComparison.Ordinal)
            ? Path.GetFullPath(program, workingDirectory)
            : program;
        return new ProcessSpec
        {
            FileName = fileName,
            Arguments = argv.Skip(1).ToArray(),
            WorkingDirectory = workingDirectory,
            Environment = env,
            Timeout = run.Timeout,
        };
    }
}
