using System.Collections.Concurrent;
using HandsBot.Core.Storage;

namespace HandsBot.Discord.Tests.Fakes;

public sealed class InMemorySettingsStore : ISettingsStore
{
    public ConcurrentDictionary<string, string> Values { get; } = new();

    public Task<string?> GetSettingAsync(string key, CancellationToken ct = default)
        => Task.FromResult(Values.TryGetValue(key, out var v) ? v : null);

    public Task SetSettingAsync(string key, string value, CancellationToken ct = default)
    {
        Values[key] = value;
        return Task.CompletedTask;
    }

    public Task DeleteSettingAsync(string key, CancellationToken ct = default)
    {
        Values.TryRemove(key, out _);
        return Task.CompletedTask;
    }
}
