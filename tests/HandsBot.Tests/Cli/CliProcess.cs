using System.Diagnostics;
using System.Text;
using System.Text.RegularExpressions;
using HandsBot.Cli;

namespace HandsBot.Tests.Cli;

/// <summary>
/// The real `handsbot` executable in a child process with its own environment and current folder, as a
/// user at a shell would run it. <see cref="RunAsync"/> waits for the exit; <see cref="Start"/> leaves it
/// running (serve) and lets a test wait for lines on stderr, where the logs go.
/// </summary>
public sealed class CliProcess : IAsyncDisposable
{
    private readonly Process _process;
    private readonly StringBuilder _stdout = new();
    private readonly StringBuilder _stderr = new();
    private readonly Lock _lock = new();
    private readonly SemaphoreSlim _changed = new(0, int.MaxValue);

    private CliProcess(string[] args, IReadOnlyDictionary<string, string>? environment, string? workingDirectory)
    {
        var start = new ProcessStartInfo("dotnet")
        {
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            WorkingDirectory = workingDirectory ?? Directory.GetCurrentDirectory(),
        };
        start.ArgumentList.Add(typeof(HandsBotCli).Assembly.Location);
        foreach (var arg in args) start.ArgumentList.Add(arg);
        // The test runner's own HANDSBOT_* variables (if any) must not leak into the case under test.
        foreach (var name in start.Environment.Keys.Where(k => k.StartsWith("HANDSBOT_", StringComparison.OrdinalIgnoreCase)).ToList()) start.Environment.Remove(name);
        foreach (var (name, value) in environment ?? new Dictionary<string, string>()) start.Environment[name] = value;
        _process = Process.Start(start)!;
        _process.OutputDataReceived += (_, e) => Append(_stdout, e.Data);
        _process.ErrorDataReceived += (_, e) => Append(_stderr, e.Data);
        _process.BeginOutputReadLine();
        _process.BeginErrorReadLine();
    }

    public string Stdout
    {
        get
        {
            lock (_lock) return _stdout.ToString();
        }
    }

    public string Stderr
    {
        get
        {
            lock (_lock) return _stderr.ToString();
        }
    }

    /// <summary>Both streams, for "no line of output is a stack frame" checks.</summary>
    public string AllOutput => Stdout + Stderr;

    public int ExitCode => _process.ExitCode;

    public int Pid => _process.Id;

    public bool HasExited => _process.HasExited;

    /// <summary>Sends a signal (15 = SIGTERM, 9 = SIGKILL) to the bot itself, as `docker stop` or a crash would.</summary>
    public void Signal(int signal)
    {
        if (NativeKill(_process.Id, signal) != 0) throw new InvalidOperationException($"kill({_process.Id}, {signal}) failed");
    }

    /// <summary>Waits for the process to end (bounded) and for its output to be read to the end.</summary>
    public async Task<int> WaitForExitAsync(int seconds = 60)
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(seconds));
        await _process.WaitForExitAsync(timeout.Token);
        return _process.ExitCode;
    }

    [System.Runtime.InteropServices.DllImport("libc", EntryPoint = "kill", SetLastError = true)]
    private static extern int NativeKill(int pid, int signal);

    public static CliProcess Start(string[] args, IReadOnlyDictionary<string, string>? environment = null, string? workingDirectory = null) =>
        new(args, environment, workingDirectory);

    /// <summary>Runs to the end (stdin closed at once) and returns the finished process.</summary>
    public static async Task<CliProcess> RunAsync(string[] args, IReadOnlyDictionary<string, string>? environment = null, string? workingDirectory = null, int seconds = 60)
    {
        var process = new CliProcess(args, environment, workingDirectory);
        process._process.StandardInput.Close();
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(seconds));
        await process._process.WaitForExitAsync(timeout.Token);
        // WaitForExitAsync returns once the redirected streams reached their end, so the output is complete.
        return process;
    }

    public async Task SendAsync(string line)
    {
        await _process.StandardInput.WriteLineAsync(line);
        await _process.StandardInput.FlushAsync();
    }

    /// <summary>Waits until stderr (the logs) matches <paramref name="pattern"/>.</summary>
    public Task<Match> WaitForLogAsync(string pattern, int seconds = 60) => WaitForAsync(() => Stderr, pattern, seconds);

    /// <summary>Waits until stdout (the console channel) matches <paramref name="pattern"/>.</summary>
    public Task<Match> WaitForOutputAsync(string pattern, int seconds = 60) => WaitForAsync(() => Stdout, pattern, seconds);

    private async Task<Match> WaitForAsync(Func<string> text, string pattern, int seconds)
    {
        var regex = new Regex(pattern, RegexOptions.Multiline);
        var deadline = DateTime.UtcNow.AddSeconds(seconds);
        while (true)
        {
            var match = regex.Match(text());
            if (match.Success) return match;
            var left = deadline - DateTime.UtcNow;
            if (left <= TimeSpan.Zero || _process.HasExited && !await _changed.WaitAsync(100))
            {
                throw new TimeoutException($"Did not see /{pattern}/.\n--- stdout ---\n{Stdout}\n--- stderr ---\n{Stderr}");
            }
            await _changed.WaitAsync(left);
        }
    }

    private void Append(StringBuilder buffer, string? line)
    {
        if (line is null) return;
        lock (_lock) buffer.AppendLine(line);
        _changed.Release();
    }

    public async ValueTask DisposeAsync()
    {
        if (!_process.HasExited) _process.Kill(entireProcessTree: true);
        await _process.WaitForExitAsync();
        _process.Dispose();
        _changed.Dispose();
    }
}
