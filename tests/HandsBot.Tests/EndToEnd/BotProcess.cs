using System.Diagnostics;
using System.Text;
using HandsBot.Cli;

namespace HandsBot.Tests.EndToEnd;

/// <summary>
/// The real `handsbot` executable in a child process, talked to through stdin and stdout like a
/// person at a terminal. Output is collected as it arrives; tests wait for text to appear.
/// </summary>
public sealed class BotProcess : IAsyncDisposable
{
    private readonly Process _process;
    private readonly StringBuilder _stdout = new();
    private readonly StringBuilder _stderr = new();
    private readonly Lock _lock = new();
    private readonly SemaphoreSlim _changed = new(0, int.MaxValue);

    public BotProcess(params string[] args)
    {
        var dll = typeof(HandsBotCli).Assembly.Location;
        var start = new ProcessStartInfo("dotnet")
        {
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        start.ArgumentList.Add(dll);
        foreach (var arg in args) start.ArgumentList.Add(arg);
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

    private void Append(StringBuilder buffer, string? line)
    {
        if (line is null) return;
        lock (_lock) buffer.AppendLine(line);
        _changed.Release();
    }

    public async Task SendAsync(string line)
    {
        await _process.StandardInput.WriteLineAsync(line);
        await _process.StandardInput.FlushAsync();
    }

    /// <summary>Waits until stdout (from <paramref name="from"/> on) matches; returns the match's end offset.</summary>
    public async Task<System.Text.RegularExpressions.Match> WaitForAsync(string pattern, int from = 0, int seconds = 60)
    {
        var regex = new System.Text.RegularExpressions.Regex(pattern, System.Text.RegularExpressions.RegexOptions.Multiline);
        var deadline = DateTime.UtcNow.AddSeconds(seconds);
        while (true)
        {
            var text = Stdout;
            var match = regex.Match(text, Math.Min(from, text.Length));
            if (match.Success) return match;
            var left = deadline - DateTime.UtcNow;
            if (left <= TimeSpan.Zero || _process.HasExited && !await _changed.WaitAsync(100))
            {
                throw new TimeoutException($"Did not see /{pattern}/ in stdout.\n--- stdout ---\n{Stdout}\n--- stderr ---\n{Stderr}");
            }
            await _changed.WaitAsync(left);
        }
    }

    public async ValueTask DisposeAsync()
    {
        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);
        }
        await _process.WaitForExitAsync();
        _process.Dispose();
    }
}
