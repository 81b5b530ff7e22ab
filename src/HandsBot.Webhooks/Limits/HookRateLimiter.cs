using System.Collections.Concurrent;
using HandsBot.Core.Model;

namespace HandsBot.Webhooks.Limits;

/// <summary>
/// A token bucket per hook: [webhook] burst calls at once, refilled at rate_limit calls a minute. Every
/// call to a known webhook hand takes a token before its body is read, so a flood is answered 429 at
/// the cost of a dictionary lookup. Unknown hook names have no bucket (they are answered 404 without
/// reading anything), so the map holds at most one entry per webhook hand.
/// </summary>
internal sealed class HookRateLimiter(TimeProvider time)
{
    private readonly ConcurrentDictionary<string, Bucket> _buckets = new(StringComparer.Ordinal);

    /// <summary>Takes a token; when none is left, how long until one is (for Retry-After).</summary>
    public bool TryTake(string hand, WebhookSpec spec, out TimeSpan retryAfter)
    {
        var bucket = _buckets.GetOrAdd(hand, _ => new Bucket(spec.Burst, time.GetTimestamp()));
        return bucket.TryTake(spec, time, out retryAfter);
    }

    private sealed class Bucket(double tokens, long at)
    {
        private readonly Lock _gate = new();
        private double _tokens = tokens;
        private long _at = at;

        public bool TryTake(WebhookSpec spec, TimeProvider time, out TimeSpan retryAfter)
        {
            var perSecond = spec.RatePerMinute / 60.0;
            lock (_gate)
            {
                var now = time.GetTimestamp();
                _tokens = Math.Min(spec.Burst, _tokens + time.GetElapsedTime(_at, now).TotalSeconds * perSecond);
                _at = now;
                if (_tokens >= 1)
                {
                    _tokens -= 1;
                    retryAfter = TimeSpan.Zero;
                    return true;
                }
                retryAfter = TimeSpan.FromSeconds((1 - _tokens) / perSecond);
                return false;
            }
        }
    }
}
