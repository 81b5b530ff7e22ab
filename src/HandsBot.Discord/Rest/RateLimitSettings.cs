namespace HandsBot.Discord.Rest;

/// <summary>Tunables of the REST client's rate limiting; the defaults are Discord's documented limits.</summary>
public sealed class RateLimitSettings
{
    /// <summary>Requests per second across all bot routes (interaction callbacks excluded).</summary>
    public int GlobalPerSecond { get; set; } = 50;
    /// <summary>Invalid (401/403/429) requests in <see cref="InvalidWindow"/> past which the client refuses to send.</summary>
    public int InvalidRequestBudget { get; set; } = 8_000;
    public TimeSpan InvalidWindow { get; set; } = TimeSpan.FromMinutes(10);
    /// <summary>A 429 whose retry_after is at most this is waited out and retried in place; longer ones are returned.</summary>
    public TimeSpan MaxInlineRetryWait { get; set; } = TimeSpan.FromSeconds(5);
    public int MaxRetries { get; set; } = 3;
    /// <summary>
    /// Extra wait after a bucket's reset: Reset-After is rounded to milliseconds and clocks differ,
    /// so sending exactly at the reset can still draw a 429.
    /// </summary>
    public TimeSpan ResetOffset { get; set; } = TimeSpan.FromMilliseconds(50);
}
