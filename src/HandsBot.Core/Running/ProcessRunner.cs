using System.ComponentModel;
using System.Diagnostics;
using System.Text;
using Microsoft.Extensions.Logging;

namespace HandsBot.Core.Running;

/// <summary>
/// Runs a child in its own process group (via setsid) with a clean environment, reads stdout and stderr
/// concurrently, and on timeout, cancellation or exit kills the whole group so no process survives.
/// </summary>
public sealed partial class ProcessRunner : IProcessRunner
{
    private const string SetsidPath = "/usr/bin/setsid";


    private readonly TimeProvider _time;
    private readonly ILogger<ProcessRunner> _logger;
    private readonly bool _ownGroup;

    /// <summary>
    /// How long to wait for the pipes to close after the group is gone. Only a process that left the group
    /// (its own setsid) can hold them open longer; then the output so far is returned.
    /// </summary>
    internal TimeSpan DrainGrace { get; init; } = TimeSpan.FromSeconds(5);

    public ProcessRunner(TimeProvider time, ILogger<ProcessRunner> logger)
    {
        ArgumentNullException.ThrowIfNull(time);
        ArgumentNullException.ThrowIfNull(logger);
        _time = time;
        _logger = logger;
        _ownGroup = OperatingSystem.IsLinux() && File.Exists(SetsidPath);
        if (!_ownGroup)
        {
            LogNoSetsid(_logger, SetsidPath);
        }
    }

    /// <inheritdoc />
    public async Task<ProcessResult> RunAsync(ProcessSpec spec, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(spec);
        if (spec.Timeout <= TimeSpan.Zero && spec.Timeout != Timeout.InfiniteTimeSpan)
        {
            throw new ArgumentOutOfRangeException(nameof(spec), spec.Timeout, "ProcessSpec.Timeout must be positive.");
        }

        ArgumentOutOfRangeException.ThrowIfNegative(spec.StderrTailBytes, nameof(spec));
        if (spec.StdoutLimitBytes is < 0)
        {
            throw new ArgumentOutOfRangeException(nameof(spec), spec.StdoutLimitBytes, "ProcessSpec.StdoutLimitBytes must not be negative.");
        }

        var startedAt = _time.GetUtcNow();
        var environment = ChildEnvironment.Build(spec.Environment);
        var program = ExecutableResolver.Resolve(spec.FileName, spec.WorkingDirectory, environment["PATH"], out var startError);
        if (program is null)
        {
            return NotStarted(startError!, startedAt);
        }

        if (ct.IsCancellationRequested)
        {
            return new ProcessResult { Stdout = "", StderrTail = "", Cancelled = true, StartedAt = startedAt, CompletedAt = startedAt };
        }

        var stdout = new HeadCapture(spec.StdoutLimitBytes);
        var stderr = new TailCapture(spec.StderrTailBytes);
        using var process = new Process { StartInfo = StartInfo(spec, program, environment) };
        try
        {
            process.Start();
        }
        catch (Exception e) when (e is Win32Exception or InvalidOperationException)
        {
            return NotStarted($"Could not start '{program}': {e.Message}", startedAt);
        }

        var pid = process.Id;
        LogStarted(_logger, program, pid);
        spec.OnStarted?.Invoke(pid);

        var io = Task.WhenAll(
            stdout.ReadToEndAsync(process.StandardOutput.BaseStream),
            stderr.ReadToEndAsync(process.StandardError.BaseStream),
            WriteInputAsync(process.StandardInput.BaseStream, spec.StandardInput));

        using var timeout = new CancellationTokenSource(spec.Timeout, _time);
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(timeout.Token, ct);
        var killed = false;
        try
        {
            await process.WaitForExitAsync(stop.Token).ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
            killed = true;
        }

        // Also after a normal exit: background processes the child left in its group must not outlive the run.
        KillGroup(process, pid, killed);
        if (killed)
        {
            await WaitBoundedAsync(process.WaitForExitAsync(CancellationToken.None)).ConfigureAwait(false);
        }

        if (!await WaitBoundedAsync(io).ConfigureAwait(false))
        {
            LogPipesHeldOpen(_logger, pid, DrainGrace);
        }

        var cancelled = killed && ct.IsCancellationRequested;
        var timedOut = killed && !cancelled;
        var completedAt = _time.GetUtcNow();
        if (timedOut)
        {
            LogTimedOut(_logger, program, pid, spec.Timeout);
        }
        else if (cancelled)
        {
            LogCancelled(_logger, program, pid);
        }
        else
        {
            LogExited(_logger, program, pid, process.ExitCode);
        }

        var stderrText = stderr.Text();
        if (!killed && ExecFailure(process.ExitCode, stderrText) is { } execError)
        {
            return NotStarted($"Could not start '{program}': {execError}", startedAt) with { CompletedAt = completedAt };
        }

        return new ProcessResult
        {
            ExitCode = killed ? null : process.ExitCode,
            Stdout = stdout.Text(),
            StdoutTruncated = stdout.Truncated,
            StderrTail = stderrText,
            TimedOut = timedOut,
            Cancelled = cancelled,
            StartedAt = startedAt,
            CompletedAt = completedAt,
        };
    }

    private ProcessStartInfo StartInfo(ProcessSpec spec, string program, Dictionary<string, string> environment)
    {
        var info = new ProcessStartInfo
        {
            WorkingDirectory = spec.WorkingDirectory,
            UseShellExecute = false,
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        if (_ownGroup)
        {
            // setsid makes the child the leader of a new session and process group whose id is its pid
            // (it only forks when already a group leader, which a freshly started child never is).
            info.FileName = SetsidPath;
            info.ArgumentList.Add("--wait");
            info.ArgumentList.Add(program);
        }
        else
        {
            info.FileName = program;
        }

        foreach (var argument in spec.Arguments)
        {
            info.ArgumentList.Add(argument);
        }

        info.Environment.Clear();
        foreach (var (name, value) in environment)
        {
            info.Environment[name] = value;
        }

        return info;
    }

    private void KillGroup(Process process, int pid, bool killTree)
    {
        if (_ownGroup && ProcessGroup.Kill(pid))
        {
            LogGroupKilled(_logger, pid);
        }

        if (!killTree)
        {
            return;
        }

        // Covers a child killed before setsid took effect, and systems without setsid.
        try
        {
            process.Kill(entireProcessTree: true);
        }
        catch (Exception e) when (e is InvalidOperationException or Win32Exception or NotSupportedException)
        {
            // Already gone.
        }
    }

    private async Task<bool> WaitBoundedAsync(Task task)
    {
        using var grace = new CancellationTokenSource();
        var finished = await Task.WhenAny(task, Task.Delay(DrainGrace, _time, grace.Token)).ConfigureAwait(false);
        await grace.CancelAsync().ConfigureAwait(false);
        return finished == task;
    }

    private static async Task WriteInputAsync(Stream stdin, string? input)
    {
        try
        {
            if (!string.IsNullOrEmpty(input))
            {
                await stdin.WriteAsync(Encoding.UTF8.GetBytes(input)).ConfigureAwait(false);
                await stdin.FlushAsync().ConfigureAwait(false);
            }
        }
        catch (Exception e) when (e is IOException or ObjectDisposedException)
        {
            // The child exited or closed stdin without reading it all; that is its choice.
        }
        finally
        {
            try
            {
                await stdin.DisposeAsync().ConfigureAwait(false);
            }
            catch (IOException)
            {
                // Broken pipe on the final flush.
            }
        }
    }

    /// <summary>
    /// setsid reports a failed exec (e.g. a script whose #! interpreter is missing) as exit code 126/127 and
    /// "setsid: failed to execute …" on stderr; that is a start failure, not the program's own exit.
    /// </summary>
    private string? ExecFailure(int exitCode, string stderr)
    {
        const string Prefix = "setsid: failed to execute ";
        if (!_ownGroup || exitCode is not (126 or 127) || !stderr.StartsWith(Prefix, StringComparison.Ordinal))
        {
            return null;
        }

        var reason = stderr.AsSpan(Prefix.Length).Trim().ToString();
        var colon = reason.LastIndexOf(": ", StringComparison.Ordinal);
        reason = colon < 0 ? reason : reason[(colon + 2)..];
        return exitCode == 127
            ? $"{reason} (if it is a script, check that the interpreter on its #! line exists)"
            : reason;
    }

    private static ProcessResult NotStarted(string error, DateTimeOffset at) =>
        new() { Stdout = "", StderrTail = "", StartError = error, StartedAt = at, CompletedAt = at };

    [LoggerMessage(Level = LogLevel.Warning, Message = "{Setsid} is unavailable: children are killed by process tree only, and orphaned grandchildren may survive")]
    private static partial void LogNoSetsid(ILogger logger, string setsid);

    [LoggerMessage(Level = LogLevel.Debug, Message = "Started {Program} as pid {Pid}")]
    private static partial void LogStarted(ILogger logger, string program, int pid);

    [LoggerMessage(Level = LogLevel.Debug, Message = "{Program} (pid {Pid}) exited with code {ExitCode}")]
    private static partial void LogExited(ILogger logger, string program, int pid, int exitCode);

    [LoggerMessage(Level = LogLevel.Warning, Message = "{Program} (pid {Pid}) timed out after {Timeout}; its process group was killed")]
    private static partial void LogTimedOut(ILogger logger, string program, int pid, TimeSpan timeout);

    [LoggerMessage(Level = LogLevel.Information, Message = "{Program} (pid {Pid}) was cancelled; its process group was killed")]
    private static partial void LogCancelled(ILogger logger, string program, int pid);

    [LoggerMessage(Level = LogLevel.Debug, Message = "Killed the remaining processes of group {Pid}")]
    private static partial void LogGroupKilled(ILogger logger, int pid);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Output pipes of pid {Pid} stayed open {Grace} after its group was killed (a process left the group); returning the output so far")]
    private static partial void LogPipesHeldOpen(ILogger logger, int pid, TimeSpan grace);
}
