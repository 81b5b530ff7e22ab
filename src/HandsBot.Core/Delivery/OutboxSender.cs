using System.Collections.Concurrent;
using System.Text.Json;
using HandsBot.Core.Storage;
using HandsBot.Core.Util;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace HandsBot.Core.Delivery;

/// <summary>
/// Delivers outbox items. Each chat (ordering key) is worked by at most one sender at a time, in
/// order; different chats proceed in parallel, so one rate-limited chat never holds up another.
/// An item is recorded delivered only with the platform's message id; transient failures are retried
/// with exponential backoff (or the platform's retry-after), permanent ones are recorded as failed.
/// </summary>
public sealed class OutboxSender(
    ChannelSet channels,
    IOutboxStore store,
    Outbox outbox,
    TimeProvider time,
    ILogger<OutboxSender> logger) : BackgroundService
{
    public const int MaxAttempts = 10;
    public const int MaxParallelChats = 8;
    /// <summary>How soon to look again when items are pending behind a chat's retry.</summary>
    public static readonly TimeSpan IdleRecheck = TimeSpan.FromSeconds(1);
    private static readonly TimeSpan MaxBackoff = TimeSpan.FromMinutes(10);

    private readonly ConcurrentDictionary<string, Task> _inFlight = new();

    /// <summary>Raised after an item was delivered (with the platform message id).</summary>
    public event Func<OutboxItem, string, Task>? Delivered;

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        await ResilientLoop.RunAsync(PumpOnceAsync, time, logger, "Outbox pass", stoppingToken).ConfigureAwait(false);
        // Let sends in progress finish so their result is recorded (shutdown flushes state).
        await Task.WhenAll(_inFlight.Values).ConfigureAwait(false);
    }

    /// <summary>Starts every due item it can, then waits for the next event (enqueue, completion, due time).</summary>
    internal async Task PumpOnceAsync(CancellationToken ct)
    {
        var now = time.GetUtcNow();
        var due = await store.ListDueAsync(now, 64, ct).ConfigureAwait(false);
        foreach (var item in due)
        {
            if (_inFlight.Count >= MaxParallelChats) break;
            if (_inFlight.ContainsKey(item.OrderingKey)) continue;
            var task = ProcessGuardedAsync(item, ct);
            if (!task.IsCompleted) _inFlight[item.OrderingKey] = task;
        }
        var next = await store.NextPendingAtAsync(ct).ConfigureAwait(false);
        // An item can be due while the head of its chat waits for a retry: nothing to start now, but the
        // head's time is not the store's minimum, so look again shortly instead of sleeping until woken.
        TimeSpan? wait = next switch
        {
            null => null,
            { } at when at > now => at - now,
            _ => IdleRecheck,
        };
        await outbox.Wake.WaitAsync(wait, time, ct).ConfigureAwait(false);
    }

    /// <summary>Delivers everything due now and waits for it (used by tests and `handsbot run`).</summary>
    public async Task DrainAsync(CancellationToken ct)
    {
        while (true)
        {
            var due = await store.ListDueAsync(time.GetUtcNow(), 64, ct).ConfigureAwait(false);
            if (due.Count == 0 && _inFlight.IsEmpty) return;
            foreach (var item in due.Where(i => !_inFlight.ContainsKey(i.OrderingKey)))
            {
                await ProcessAsync(item, ct).ConfigureAwait(false);
            }
            await Task.WhenAll(_inFlight.Values).ConfigureAwait(false);
            if (due.Count == 0) return;
        }
    }

    private async Task ProcessGuardedAsync(OutboxItem item, CancellationToken ct)
    {
        await Task.Yield();
        try
        {
            await ProcessAsync(item, ct).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            logger.LogError(ex, "Delivering outbox item {Id} failed unexpectedly", item.Id);
        }
        finally
        {
            _inFlight.TryRemove(item.OrderingKey, out _);
            outbox.Wake.Set();
        }
    }

    internal async Task ProcessAsync(OutboxItem item, CancellationToken ct)
    {
        var channel = channels.Get(item.Platform);
        if (channel is null)
        {
            await store.MarkFailedAsync(item.Id, $"no {item.Platform} channel is configured", time.GetUtcNow(), ct).ConfigureAwait(false);
            return;
        }
        var part = JsonSerializer.Deserialize(item.PayloadJson, DeliveryJson.Default.OutboundPart)!;
        var target = new ChannelTarget(item.Platform, item.ChatId, item.ThreadId);
        SendResult result;
        try
        {
            result = item.Kind == OutboxKind.Edit
                ? await channel.EditAsync(target, item.EditMessageId!, part, ct).ConfigureAwait(false)
                : await channel.SendAsync(target, part, item.IdempotencyKey, ct).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (ct.IsCancellationRequested)
        {
            throw;
        }
        catch (Exception ex)
        {
            result = SendResult.Transient(ex.Message);
        }

        var now = time.GetUtcNow();
        switch (result.Status)
        {
            case SendStatus.Delivered:
                await store.MarkDeliveredAsync(item.Id, result.MessageId ?? "", now, ct).ConfigureAwait(false);
                if (Delivered is { } handler) await handler(item, result.MessageId ?? "").ConfigureAwait(false);
                break;
            case SendStatus.Permanent:
                logger.LogWarning("Delivery {Key} to {Target} failed permanently: {Error}", item.IdempotencyKey, target, result.Error);
                await store.MarkFailedAsync(item.Id, result.Error ?? "failed", now, ct).ConfigureAwait(false);
                break;
            default:
                var attempts = item.Attempts + 1;
                if (attempts >= MaxAttempts)
                {
                    logger.LogWarning("Delivery {Key} to {Target} gave up after {Attempts} attempts: {Error}", item.IdempotencyKey, target, attempts, result.Error);
                    await store.MarkFailedAsync(item.Id, $"gave up after {attempts} attempts: {result.Error}", now, ct).ConfigureAwait(false);
                }
                else
                {
                    var delay = Backoff(attempts);
                    if (result.RetryAfter is { } retryAfter && retryAfter > delay) delay = retryAfter;
                    logger.LogInformation("Delivery {Key} to {Target} will be retried in {Delay}: {Error}", item.IdempotencyKey, target, delay, result.Error);
                    await store.MarkRetryAsync(item.Id, result.Error ?? "transient failure", now + delay, ct).ConfigureAwait(false);
                }
                break;
        }
    }

    /// <summary>2 s, 4 s, 8 s … capped at 10 minutes.</summary>
    public static TimeSpan Backoff(int attempts)
    {
        var seconds = Math.Min(MaxBackoff.TotalSeconds, Math.Pow(2, Math.Clamp(attempts, 1, 20)));
        return TimeSpan.FromSeconds(seconds);
    }
}
