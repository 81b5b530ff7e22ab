using System.Collections.Concurrent;
using System.Data.Common;
using System.Net.Http;
using System.Net.Sockets;
using HandsBot.Core.Running;
using HandsBot.Core.Storage;
using HandsBot.Core.Util;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace HandsBot.Core.Delivery;

/// <summary>
/// Delivers outbox items. Each item is claimed in the store before it is sent (the head of its chat,
/// with an owner and a claim that expires), so no item is ever sent twice by this or another sender
/// while the claim holds, and a chat's messages go out in order; different chats proceed in parallel,
/// so one rate-limited chat never holds up another. Only transient failures (network, 5xx, 429, a busy
/// store) are retried; anything else fails the item with the reason. A platform that refuses the bot's
/// token is left alone: its items wait, untouched, until a restart with a working token.
/// </summary>
public sealed partial class OutboxSender(
    ChannelSet channels,
    IOutboxStore store,
    Outbox outbox,
    ChannelHealth health,
    TimeProvider time,
    ILogger<OutboxSender> logger) : BackgroundService
{
    public const int MaxAttempts = 10;
    public const int MaxParallelChats = 8;
    /// <summary>How long a claim holds an item while it is sent; a sender that dies loses it after this.</summary>
    public static readonly TimeSpan ClaimFor = TimeSpan.FromMinutes(2);
    /// <summary>How long to flush due items at shutdown, after the runs stopped.</summary>
    public static readonly TimeSpan ShutdownFlush = TimeSpan.FromSeconds(10);
    private static readonly TimeSpan MaxBackoff = TimeSpan.FromMinutes(10);

    private readonly ConcurrentDictionary<long, Task> _inFlight = new();

    // A claim and the start of its sends happen together, so a drain never sees claimed items that are not yet in flight.
    private readonly SemaphoreSlim _claiming = new(1, 1);
    private DateTimeOffset _nextSweep = DateTimeOffset.MinValue;

    /// <summary>This sender's name on the items it claims.</summary>
    public string Owner { get; } = ProcessIdentity.NewInstance();

    /// <summary>Raised after an item was delivered (with the platform message id).</summary>
    public event Func<OutboxItem, string, Task>? Delivered;

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        await ResilientLoop.RunAsync(
            async ct =>
            {
                if (time.GetUtcNow() >= _nextSweep)
                {
                    await ReleaseClaimsOfGoneSendersAsync(ct).ConfigureAwait(false);
                    _nextSweep = time.GetUtcNow() + ClaimFor;
                }
                await PumpOnceAsync(ct).ConfigureAwait(false);
            },
            time,
            logger,
            "Outbox pass",
            stoppingToken).ConfigureAwait(false);
        // Let sends in progress finish so their result is recorded.
        await Task.WhenAll(_inFlight.Values).ConfigureAwait(false);
    }

    /// <summary>On shutdown (after the run worker stopped), deliver what is due for a few seconds, then stop.</summary>
    public override async Task StopAsync(CancellationToken cancellationToken)
    {
        try
        {
            await DrainAsync(CancellationToken.None).WaitAsync(ShutdownFlush, time, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is TimeoutException or OperationCanceledException or StoreUnavailableException)
        {
            LogFlushCut(ex.Message);
        }
        await base.StopAsync(cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Starts every due item it can, then waits for the next event (enqueue, completion, due time).</summary>
    internal async Task PumpOnceAsync(CancellationToken ct)
    {
        var room = MaxParallelChats - _inFlight.Count;
        if (room > 0)
        {
            await _claiming.WaitAsync(ct).ConfigureAwait(false);
            try
            {
                var now = time.GetUtcNow();
                foreach (var item in await store.ClaimDueAsync(Claim(now, room), ct).ConfigureAwait(false)) Start(item, ct);
            }
            finally { _claiming.Release(); }
        }
        var next = await store.NextDueAtAsync(Sendable(), ct).ConfigureAwait(false);
        var wait = next is { } at ? at - time.GetUtcNow() : (TimeSpan?)null;
        await outbox.Wake.WaitAsync(wait is { } w && w < TimeSpan.Zero ? TimeSpan.Zero : wait, time, ct).ConfigureAwait(false);
    }

    /// <summary>Delivers everything due now and waits for it (shutdown, one-shot commands, tests).</summary>
    public async Task DrainAsync(CancellationToken ct)
    {
        while (true)
        {
            await _claiming.WaitAsync(ct).ConfigureAwait(false);
            try
            {
                var claimed = await store.ClaimDueAsync(Claim(time.GetUtcNow(), MaxParallelChats), ct).ConfigureAwait(false);
                foreach (var item in claimed) Start(item, ct);
            }
            finally { _claiming.Release(); }
            if (_inFlight.IsEmpty) return;
            await Task.WhenAll(_inFlight.Values).ConfigureAwait(false);
        }
    }

    /// <summary>
    /// Items a sender on this machine claimed and then died with (a crash) are free again at once rather
    /// than when the claim runs out. On other machines the claim's end decides.
    /// </summary>
    public async Task ReleaseClaimsOfGoneSendersAsync(CancellationToken ct)
    {
        foreach (var owner in await store.ListClaimOwnersAsync(ct).ConfigureAwait(false))
        {
            if (owner == Owner || !ProcessIdentity.IsLocal(owner) || ProcessIdentity.IsOtherLiveProcess(owner)) continue;
            var released = await store.ReleaseClaimsAsync(owner, ct).ConfigureAwait(false);
            if (released > 0) LogReleased(released, owner);
        }
    }

    private OutboxClaim Claim(DateTimeOffset now, int limit) => new(Owner, now, now + ClaimFor, limit, Sendable());

    /// <summary>The platforms this process can send to now: those it runs, except one refusing the bot's token.</summary>
    private IReadOnlyCollection<string> Sendable() =>
        [.. channels.Platforms.Where(p => !health.IsUnauthorized(p))];

    /// <summary>Registers the send before it starts, so its own removal can never come first.</summary>
    private void Start(OutboxItem item, CancellationToken ct)
    {
        var send = new Task<Task>(() => ProcessGuardedAsync(item, ct));
        _inFlight[item.Id] = send.Unwrap();
        send.Start(TaskScheduler.Default);
    }

    private async Task ProcessGuardedAsync(OutboxItem item, CancellationToken ct)
    {
        try
        {
            await ProcessAsync(item, ct).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            // Recording the result failed (the store): the claim runs out and the item is taken up again.
            LogRecordFailed(item.Id, item.IdempotencyKey, ex.Message);
        }
        finally
        {
            _inFlight.TryRemove(item.Id, out _);
            outbox.Wake.Set();
        }
    }

    internal async Task ProcessAsync(OutboxItem item, CancellationToken ct)
    {
        var target = new ChannelTarget(item.Platform, item.ChatId, item.ThreadId);
        var channel = channels.Get(item.Platform);
        var result = channel is null
            ? SendResult.Permanent($"no {item.Platform} channel is configured")
            : await SendAsync(channel, item, target, ct).ConfigureAwait(false);

        var now = time.GetUtcNow();
        DeliveryCompletion completion;
        switch (result.Status)
        {
            case SendStatus.Delivered:
                completion = new DeliveryCompletion(item.Id, item.ClaimToken, DeliveryResultKind.Delivered, now) { MessageId = result.MessageId ?? "" };
                break;
            case SendStatus.Permanent:
                LogFailedPermanently(item.IdempotencyKey, target.ToString(), result.Error);
                completion = new DeliveryCompletion(item.Id, item.ClaimToken, DeliveryResultKind.Failed, now) { Error = result.Error ?? "failed" };
                break;
            case SendStatus.Unauthorized:
                // Not the item's fault: it waits for a working token (after a restart), neither failed nor retried.
                health.Report(item.Platform, ChannelState.Unauthorized, result.Error);
                completion = new DeliveryCompletion(item.Id, item.ClaimToken, DeliveryResultKind.Release, now) { Error = result.Error };
                break;
            default:
                var attempts = item.Attempts + 1;
                if (attempts >= MaxAttempts)
                {
                    LogGaveUp(item.IdempotencyKey, target.ToString(), attempts, result.Error);
                    completion = new DeliveryCompletion(item.Id, item.ClaimToken, DeliveryResultKind.Failed, now) { Error = $"gave up after {attempts} attempts: {result.Error}" };
                }
                else
                {
                    var delay = Backoff(attempts);
                    if (result.RetryAfter is { } retryAfter && retryAfter > delay) delay = retryAfter;
                    LogRetry(item.IdempotencyKey, target.ToString(), delay, result.Error);
                    completion = new DeliveryCompletion(item.Id, item.ClaimToken, DeliveryResultKind.Retry, now) { Error = result.Error ?? "transient failure", NextAttemptAt = now + delay };
                }
                break;
        }

        if (!await CompleteAsync(completion, ct).ConfigureAwait(false))
        {
            LogClaimLost(item.IdempotencyKey);
            return;
        }
        if (result.Status == SendStatus.Delivered && Delivered is { } handler) await handler(item, result.MessageId ?? "").ConfigureAwait(false);
    }

    /// <summary>Sends one item; exceptions become results: transient for I/O and timeouts, permanent (logged with the trace) for anything else.</summary>
    private async Task<SendResult> SendAsync(IChannel channel, OutboxItem item, ChannelTarget target, CancellationToken ct)
    {
        try
        {
            var part = Outbox.Deserialize(item.PayloadJson);
            return item.Kind == OutboxKind.Edit
                ? await channel.EditAsync(target, item.EditMessageId!, part, ct).ConfigureAwait(false)
                : await channel.SendAsync(target, part, item.IdempotencyKey, ct).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (ct.IsCancellationRequested)
        {
            throw;
        }
        catch (Exception ex) when (IsTransient(ex))
        {
            return SendResult.Transient(ex.Message);
        }
        catch (Exception ex)
        {
            // A bug, not the network: retrying would only repeat it.
            LogSendCrashed(ex, item.IdempotencyKey, target.ToString());
            return SendResult.Permanent($"internal error ({ex.GetType().Name}): {ex.Message}");
        }
    }

    /// <summary>Network, timeouts, and a store that is busy or briefly unavailable.</summary>
    public static bool IsTransient(Exception ex) => ex switch
    {
        HttpRequestException or IOException or SocketException or TimeoutException or TaskCanceledException => true,
        StoreUnavailableException s => s.Transient,
        DbException => true,
        AggregateException a => a.InnerExceptions.All(IsTransient),
        _ => ex.InnerException is { } inner && IsTransient(inner),
    };

    /// <summary>Records the result; a store error is retried a few times before the claim is left to expire.</summary>
    private async Task<bool> CompleteAsync(DeliveryCompletion completion, CancellationToken ct)
    {
        var delay = TimeSpan.FromMilliseconds(200);
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                return await store.CompleteDeliveryAsync(completion, CancellationToken.None).ConfigureAwait(false);
            }
            catch (Exception ex) when (attempt < 5 && IsTransient(ex) && !ct.IsCancellationRequested)
            {
                await Task.Delay(delay, time, CancellationToken.None).ConfigureAwait(false);
                delay *= 2;
            }
        }
    }

    /// <summary>2 s, 4 s, 8 s … capped at 10 minutes.</summary>
    public static TimeSpan Backoff(int attempts)
    {
        var seconds = Math.Min(MaxBackoff.TotalSeconds, Math.Pow(2, Math.Clamp(attempts, 1, 20)));
        return TimeSpan.FromSeconds(seconds);
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Delivery {Key} to {Target} failed permanently: {Error}")]
    private partial void LogFailedPermanently(string key, string target, string? error);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Delivery {Key} to {Target} gave up after {Attempts} attempts: {Error}")]
    private partial void LogGaveUp(string key, string target, int attempts, string? error);

    [LoggerMessage(Level = LogLevel.Information, Message = "Delivery {Key} to {Target} will be retried in {Delay}: {Error}")]
    private partial void LogRetry(string key, string target, TimeSpan delay, string? error);

    [LoggerMessage(Level = LogLevel.Error, Message = "Delivery {Key} to {Target} failed with an internal error; not retried")]
    private partial void LogSendCrashed(Exception ex, string key, string target);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Delivery {Key}: its claim was taken over before the result was recorded")]
    private partial void LogClaimLost(string key);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Delivery {Id} ({Key}): recording the result failed ({Reason}); it will be taken up again when its claim runs out")]
    private partial void LogRecordFailed(long id, string key, string reason);

    [LoggerMessage(Level = LogLevel.Information, Message = "Took over {Count} deliveries that {Owner} had claimed when it stopped")]
    private partial void LogReleased(int count, string owner);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Stopped delivering at shutdown before everything due was sent ({Reason}); the rest goes out at the next start")]
    private partial void LogFlushCut(string reason);
}
