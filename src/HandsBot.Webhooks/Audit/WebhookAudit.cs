using System.Threading.Channels;
using HandsBot.Core.Storage;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace HandsBot.Webhooks.Audit;

/// <summary>
/// Writes every hook call to the audit log without letting the log become a flood target, and off the
/// request path (one writer, so a burst of calls never waits on audit writes). Accepted calls (already
/// limited by each hook's token bucket) are each written; their run row holds the caller's address and
/// delivery id too, in the same transaction as the run, so a crash before the audit write loses nothing
/// that matters. Refused calls are aggregated: per (hook, status) the first one in each minute is
/// written in full, the rest are counted and written as one summary line when the minute ends
/// ("41 more refused calls … from 3 addresses"). So a stranger posting garbage at 1,000 calls a second
/// adds a handful of rows a minute, and never waits on the database. Calls to hook names that do not
/// exist share one key, so made-up names cannot grow the table of counters.
/// </summary>
internal sealed partial class WebhookAudit : BackgroundService
{
    public const string Identity = "webhook";
    public static readonly TimeSpan Window = TimeSpan.FromMinutes(1);
    private const int MaxAddresses = 100;
    private const int MaxKeys = 1024;

    private readonly IAuditStore _audit;
    private readonly TimeProvider _time;
    private readonly ILogger<WebhookAudit> _logger;
    // Refused calls' entries wait here for the writer; past its size they are only counted.
    private readonly Channel<AuditEntry> _pending = Channel.CreateBounded<AuditEntry>(new BoundedChannelOptions(QueueSize) { FullMode = BoundedChannelFullMode.DropWrite, SingleReader = true });
    private const int QueueSize = 10_000;
    private const int MaxBatch = 500;
    private readonly Lock _gate = new();
    private readonly Dictionary<(string Hook, int Status), Tally> _tallies = [];
    // Entries queued and not yet written (so a test can wait for them).
    private int _unwritten;

    public WebhookAudit(IAuditStore audit, TimeProvider time, ILogger<WebhookAudit> logger)
    {
        _audit = audit;
        _time = time;
        _logger = logger;
    }

    /// <summary>Queues an accepted call's entry for the writer.</summary>
    public void Accepted(HookCall call)
    {
        LogAccepted(call.Hook, call.Source, call.DeliveryId ?? "-", call.Outcome, call.RunId ?? "-");
        Enqueue(Entry(call, _time.GetUtcNow(), null));
    }

    /// <summary>Records a refused call: written at once when it is the first of its kind this minute, otherwise counted.</summary>
    public void Refused(HookCall call, bool knownHook)
    {
        var now = _time.GetUtcNow();
        var key = (knownHook ? call.Hook : "?", call.Status);
        lock (_gate)
        {
            if (_tallies.TryGetValue(key, out var tally) && now - tally.Since < Window)
            {
                tally.More++;
                if (tally.Addresses.Count < MaxAddresses) tally.Addresses.Add(call.Source);
                return;
            }
            if (tally is { More: > 0 }) Enqueue(Summary(key, tally, now));
            if (_tallies.Count >= MaxKeys) FlushLocked(now, all: true);
            _tallies[key] = new Tally(now);
        }
        LogRefused(call.Hook, call.Source, call.Status, call.Outcome);
        Enqueue(Entry(call, now, null));
    }

    /// <summary>Writes the summaries of windows that have ended (called each minute, and at shutdown for all).</summary>
    internal void Flush(bool all = false)
    {
        lock (_gate) FlushLocked(_time.GetUtcNow(), all);
    }

    private void FlushLocked(DateTimeOffset now, bool all)
    {
        foreach (var (key, tally) in _tallies.ToList())
        {
            if (!all && now - tally.Since < Window) continue;
            if (tally.More > 0) Enqueue(Summary(key, tally, now));
            _tallies.Remove(key);
        }
    }

    private void Enqueue(AuditEntry entry)
    {
        Interlocked.Increment(ref _unwritten);
        if (_pending.Writer.TryWrite(entry)) return;
        Interlocked.Decrement(ref _unwritten);
        LogAuditDropped();
    }


    private AuditEntry Summary((string Hook, int Status) key, Tally tally, DateTimeOffset now)
    {
        var addresses = tally.Addresses.Count >= MaxAddresses ? $"{MaxAddresses}+ addresses" : tally.Addresses.Count == 1 ? "1 address" : $"{tally.Addresses.Count} addresses";
        var hook = key.Hook == "?" ? "unknown hooks" : "hook " + key.Hook;
        LogRefusedSummary(tally.More, key.Status, hook, addresses);
        return new AuditEntry(now, Identity, "hook " + key.Hook, "(several)", false,
            $"{tally.More} more calls to {hook} refused with {key.Status} since {tally.Since:HH:mm:ss} UTC, from {addresses}");
    }

    /// <summary>The audit row: who (webhook), which hook, where from, allowed, and the delivery id, status and run.</summary>
    internal static AuditEntry Entry(HookCall call, DateTimeOffset at, string? extra) =>
        new(at, Identity, "hook " + call.Hook, call.Source, call.Accepted,
            $"{call.Status} {call.Outcome}; delivery {call.DeliveryId ?? "none"}" + (call.RunId is { } run ? $"; run {run}" : "") + (extra ?? ""));

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = _time.CreateTimer(_ => Flush(), null, Window, Window);
        try
        {
            var batch = new List<AuditEntry>(MaxBatch);
            while (await _pending.Reader.WaitToReadAsync(stoppingToken).ConfigureAwait(false))
            {
                // What queued up while the last batch was written goes in one transaction.
                while (batch.Count < MaxBatch && _pending.Reader.TryRead(out var entry)) batch.Add(entry);
                // A write is short; stopping waits for it rather than losing entries half-way.
                await WriteAsync(batch, CancellationToken.None).ConfigureAwait(false);
                batch.Clear();
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
        }
    }

    public override async Task StopAsync(CancellationToken cancellationToken)
    {
        await base.StopAsync(cancellationToken).ConfigureAwait(false);
        Flush(all: true);
        var rest = new List<AuditEntry>();
        while (_pending.Reader.TryRead(out var entry)) rest.Add(entry);
        if (rest.Count > 0) await WriteAsync(rest, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Waits until every queued entry is written (tests).</summary>
    internal async Task DrainAsync()
    {
        while (Volatile.Read(ref _unwritten) > 0) await Task.Delay(5).ConfigureAwait(false);
    }

    private async Task WriteAsync(List<AuditEntry> entries, CancellationToken ct)
    {
        try
        {
            await _audit.AppendAuditBatchAsync(entries, ct).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is StoreUnavailableException or OperationCanceledException)
        {
            LogAuditFailed(entries.Count, ex.Message);
        }
        finally
        {
            Interlocked.Add(ref _unwritten, -entries.Count);
        }
    }

    private sealed class Tally(DateTimeOffset since)
    {
        public DateTimeOffset Since { get; } = since;
        public int More { get; set; }
        public HashSet<string> Addresses { get; } = new(StringComparer.Ordinal);
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Webhook {Hook} from {Source}: delivery {Delivery} {Outcome}, run {Run}")]
    private partial void LogAccepted(string hook, string source, string delivery, string outcome, string run);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Webhook {Hook} from {Source} refused: {Status} {Outcome} (more of these in the next minute are counted, not logged)")]
    private partial void LogRefused(string hook, string source, int status, string outcome);

    [LoggerMessage(Level = LogLevel.Warning, Message = "{Count} more calls refused with {Status} to {Hook} in the last minute, from {Addresses}")]
    private partial void LogRefusedSummary(int count, int status, string hook, string addresses);

    [LoggerMessage(Level = LogLevel.Warning, Message = "{Count} webhook audit entries not written: {Reason}")]
    private partial void LogAuditFailed(int count, string reason);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Webhook audit queue full: an entry was counted but not written")]
    private partial void LogAuditDropped();
}
