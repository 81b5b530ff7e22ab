using Microsoft.Extensions.Logging;

namespace HandsBot.Core.Tests.Chat;

/// <summary>Keeps formatted log records so tests can check what was logged (and what was not).</summary>
internal sealed class ListLogger<T> : ILogger<T>
{
    public List<(LogLevel Level, string Message, Exception? Exception)> Records { get; } = [];

    public IDisposable? BeginScope<TState>(TState state) where TState : notnull => null;

    public bool IsEnabled(LogLevel logLevel) => true;

    public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
    {
        lock (Records) Records.Add((logLevel, formatter(state, exception), exception));
    }
}
