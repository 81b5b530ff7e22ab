using System.Collections.Concurrent;
using Microsoft.Extensions.Logging;

namespace HandsBot.Storage.Sqlite.Tests.Support;

internal sealed record LogRecord(LogLevel Level, EventId EventId, string Message);

/// <summary>Keeps every log entry so tests can check what was logged.</summary>
internal sealed class RecordingLogger<T> : ILogger<T>
{
    private readonly ConcurrentQueue<LogRecord> _records = new();

    public IReadOnlyList<LogRecord> Records => [.. _records];

    public IDisposable? BeginScope<TState>(TState state)
        where TState : notnull => null;

    public bool IsEnabled(LogLevel logLevel) => true;

    public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter) =>
        _records.Enqueue(new LogRecord(logLevel, eventId, formatter(state, exception)));
}
