using System.Collections.Concurrent;

namespace HandsBot.Discord.Rest;

/// <summary>
/// Discord's rate limits as the client learns them: per-bucket queues keyed by route and major
/// parameter, the global 50/s ceiling, global 429 blocks, and the invalid-request window
/// (Cloudflare bans a bot at 10,000 invalid requests in 10 minutes).
/// </summary>
internal sealed class RateLimiter(TimeProvider time, RateLimitSettings settings)
{
    private readonly ConcurrentDictionary<string, SemaphoreSlim> _queues = new();
    private readonly ConcurrentDictionary<string, Bucket> _buckets = new();
    // route template (with method) → bucket hash from X-RateLimit-Bucket
    private readonly ConcurrentDictionary<string, string> _hashes = new();
    private readonly Lock _globalLock = new();
    private readonly Queue<DateTimeOffset> _invalid = new();
    private DateTimeOffset _windowStart;
    private int _windowCount;
    private DateTimeOffset _globalBlockedUntil;

    public SemaphoreSlim Queue(string queueKey) => _queues.GetOrAdd(queueKey, _ => new SemaphoreSlim(1, 1));

    /// <summary>Waits until the route's bucket has room (and the global limit, unless an interaction callback).</summary>
    public async Task WaitAsync(HttpMethod method, DiscordRoute route, CancellationToken ct)
    {
        while (true)
        {
            var now = time.GetUtcNow();
            var bucket = BucketFor(method, route);
            TimeSpan wait;
            lock (bucket)
            {
                wait = bucket.Remaining <= 0 && bucket.ResetAt > now ? bucket.ResetAt - now : TimeSpan.Zero;
                if (bucket.Remaining <= 0 && bucket.ResetAt <= now) bucket.Remaining = 1;
            }
            if (wait == TimeSpan.Zero) wait = TakeGlobal(now, route.IsInteraction);
            if (wait <= TimeSpan.Zero) return;
            await Task.Delay(wait, time, ct).ConfigureAwait(false);
        }
    }

    /// <summary>Learns the bucket from a response's X-RateLimit-* headers.</summary>
    public void Update(HttpMethod method, DiscordRoute route, string? hash, int? remaining, TimeSpan? resetAfter)
    {
        if (hash is not null) _hashes[$"{method.Method} {route.Template}"] = hash;
        var bucket = BucketFor(method, route);
        if (remaining is null) return;
        lock (bucket)
        {
            bucket.Remaining = remaining.Value;
            bucket.ResetAt = time.GetUtcNow() + (resetAfter ?? TimeSpan.Zero) + settings.ResetOffset;
        }
    }

    /// <summary>A 429: block the bucket, or every bot request when the limit is global.</summary>
    public void Block(HttpMethod method, DiscordRoute route, TimeSpan retryAfter, bool global)
    {
        var until = time.GetUtcNow() + retryAfter;
        if (global)
        {
            lock (_globalLock) if (until > _globalBlockedUntil) _globalBlockedUntil = until;
            return;
        }
        var bucket = BucketFor(method, route);
        lock (bucket)
        {
            bucket.Remaining = 0;
            if (until > bucket.ResetAt) bucket.ResetAt = until;
        }
    }

    public void CountInvalid()
    {
        lock (_invalid) _invalid.Enqueue(time.GetUtcNow());
    }

    /// <summary>When the invalid-request budget is spent, how long until the oldest one leaves the window.</summary>
    public TimeSpan? InvalidBudgetExhaustedFor()
    {
        var now = time.GetUtcNow();
        lock (_invalid)
        {
            while (_invalid.Count > 0 && _invalid.Peek() <= now - settings.InvalidWindow) _invalid.Dequeue();
            if (_invalid.Count < settings.InvalidRequestBudget) return null;
            return _invalid.Peek() + settings.InvalidWindow - now;
        }
    }

    public int InvalidCount
    {
        get { lock (_invalid) return _invalid.Count; }
    }

    private Bucket BucketFor(HttpMethod method, DiscordRoute route)
    {
        var key = _hashes.TryGetValue($"{method.Method} {route.Template}", out var hash)
            ? $"{hash} {route.Major}"
            : route.QueueKey(method);
        return _buckets.GetOrAdd(key, _ => new Bucket());
    }

    private TimeSpan TakeGlobal(DateTimeOffset now, bool isInteraction)
    {
        if (isInteraction) return TimeSpan.Zero;
        lock (_globalLock)
        {
            if (_globalBlockedUntil > now) return _globalBlockedUntil - now;
            if (now - _windowStart >= TimeSpan.FromSeconds(1))
            {
                _windowStart = now;
                _windowCount = 0;
            }
            if (_windowCount >= settings.GlobalPerSecond) return _windowStart + TimeSpan.FromSeconds(1) - now;
            _windowCount++;
            return TimeSpan.Zero;
        }
    }

    private sealed class Bucket
    {
        public int Remaining = 1;
        public DateTimeOffset ResetAt;
    }
}
