using System.Collections.Concurrent;
using Microsoft.Extensions.Logging;

namespace HandsBot.Telegram.Tests.Support;

/// <summary>Keeps every log line (with its exception text) so tests can check what was said — and what was not.</summary>
public sealed class ListLoggerProvider : ILoggerProvider
{
    private readonly ConcurrentQueue<(LogLevel Level, string Text)> _lines = new();

    private TaskCompletionSource _logged = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public IReadOnlyList<(LogLevel Level, string Text)> Lines => [.. _lines];

    /// <summary>Waits (on a signal per log line) until a line matches.</summary>
    public async Task WaitForAsync(Func<(LogLevel Level, string Text), bool> match, string what)
    {
        using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(20));
        while (true)
        {
            var logged = Volatile.Read(ref _logged).Task;
            if (Lines.Any(match)) return;
            try
            {
                await logged.WaitAsync(cts.Token);
            }
            catch (OperationCanceledException)
            {
                throw new TimeoutException($"No log line for: {what}");
            }
        }
    }

    private void Add(LogLevel level, string text)
    {
        _lines.Enqueue((level, text));
        Interlocked.Exchange(ref _logged, new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously)).TrySetResult();
    }

    public ILogger CreateLogger(string categoryName) => new ListLogger(this);

    public void Dispose()
    {
    }

    private sealed class ListLogger(ListLoggerProvider owner) : ILogger
    {
        public IDisposable? BeginScope<TState>(TState state) where TState : notnull => null;
        public bool IsEnabled(LogLevel logLevel) => true;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter) =>
            owner.Add(logLevel, formatter(state, exception) + (exception is null ? "" : " " + exception));
    }
}
