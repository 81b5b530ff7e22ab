using HandsBot.Core.Delivery;

namespace HandsBot.Telegram.Tests.Support;

/// <summary>
/// Drives a channel the way the engine's outbox does: parts in order, retry on Transient (after
/// RetryAfter when given), stop on Permanent. Returns each part's final result.
/// </summary>
public static class OutboxDriver
{
    public static async Task<List<SendResult>> DeliverAsync(IChannel channel, ChannelTarget target, IEnumerable<OutboundPart> parts, int maxAttempts = 50)
    {
        var results = new List<SendResult>();
        var key = 0;
        foreach (var part in parts)
        {
            key++;
            SendResult result;
            var attempts = 0;
            while (true)
            {
                attempts++;
                result = await channel.SendAsync(target, part, $"key-{key}", CancellationToken.None);
                if (result.Status != SendStatus.Transient || attempts >= maxAttempts) break;
                // Real time here because the fake server's flood control runs on real time.
                if (result.RetryAfter is { } wait) await Task.Delay(wait);
            }
            results.Add(result);
        }
        return results;
    }
}
