using System.Collections.Concurrent;

namespace HandsBot.Core.Delivery;

public enum ChannelState { Starting, Connected, Reconnecting, Unauthorized, Failed }

/// <summary>A platform channel's state as last reported by its adapter, with why (never a token).</summary>
public sealed record ChannelStatus(string Platform, ChannelState State, string? Detail, DateTimeOffset Since);

/// <summary>
/// What each platform adapter last reported about its connection: /status, the health endpoint, the
/// console fallback and the outbox (which holds deliveries to an unauthorised platform) read it.
/// </summary>
public sealed class ChannelHealth(TimeProvider time)
{
    private readonly ConcurrentDictionary<string, ChannelStatus> _states = new(StringComparer.OrdinalIgnoreCase);

    /// <summary>Raised after a platform's state changed.</summary>
    public event Action<ChannelStatus>? Changed;

    public void Report(string platform, ChannelState state, string? detail = null)
    {
        var status = new ChannelStatus(platform, state, detail, time.GetUtcNow());
        var previous = _states.GetValueOrDefault(platform);
        _states[platform] = status;
        if (previous is null || previous.State != state || previous.Detail != detail) Changed?.Invoke(status);
    }

    public ChannelStatus? Get(string platform) => _states.GetValueOrDefault(platform);

    public bool IsUnauthorized(string platform) => Get(platform)?.State == ChannelState.Unauthorized;

    public IReadOnlyList<ChannelStatus> All => [.. _states.Values.OrderBy(s => s.Platform, StringComparer.Ordinal)];
}
