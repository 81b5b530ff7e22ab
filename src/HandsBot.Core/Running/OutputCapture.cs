using System.Text;

namespace HandsBot.Core.Running;

/// <summary>Reads a child's stream to its end, keeping the bytes its policy allows. Thread-safe snapshots.</summary>
internal abstract class OutputCapture
{
    private static readonly UTF8Encoding Utf8 = new(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: false);
    private readonly Lock _gate = new();

    /// <summary>Reads until end of stream; never throws for I/O failures (a killed child closes its pipes abruptly).</summary>
    public async Task ReadToEndAsync(Stream stream)
    {
        var buffer = new byte[64 * 1024];
        try
        {
            int read;
            while ((read = await stream.ReadAsync(buffer).ConfigureAwait(false)) > 0)
            {
                lock (_gate)
                {
                    Append(buffer.AsSpan(0, read));
                }
            }
        }
        catch (Exception e) when (e is IOException or ObjectDisposedException)
        {
            // The pipe broke: keep what arrived.
        }
    }

    /// <summary>The text kept so far, decoded as UTF-8 without cutting a character in half.</summary>
    public string Text()
    {
        lock (_gate)
        {
            return Utf8.GetString(Utf8Boundaries.Trim(Kept()));
        }
    }

    protected abstract void Append(ReadOnlySpan<byte> bytes);

    protected abstract ReadOnlySpan<byte> Kept();
}

/// <summary>Keeps the first <c>limit</c> bytes (all when null) and discards the rest, still draining the pipe.</summary>
internal sealed class HeadCapture(long? limit) : OutputCapture
{
    private readonly MemoryStream _kept = new();

    public bool Truncated { get; private set; }

    protected override void Append(ReadOnlySpan<byte> bytes)
    {
        var room = limit is { } max ? Math.Max(0, max - _kept.Length) : long.MaxValue;
        if (bytes.Length > room)
        {
            Truncated = true;
            bytes = bytes[..(int)room];
        }

        _kept.Write(bytes);
    }

    protected override ReadOnlySpan<byte> Kept() => _kept.GetBuffer().AsSpan(0, (int)_kept.Length);
}

/// <summary>Keeps only the last <c>capacity</c> bytes in a ring buffer.</summary>
internal sealed class TailCapture : OutputCapture
{
    private readonly byte[] _ring;
    private long _total;

    public TailCapture(int capacity)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(capacity);
        _ring = new byte[capacity];
    }

    protected override void Append(ReadOnlySpan<byte> bytes)
    {
        if (_ring.Length == 0)
        {
            return;
        }

        if (bytes.Length >= _ring.Length)
        {
            // Only the newest bytes survive; place them so the ring stays in order.
            _total += bytes.Length;
            var start = (int)(_total % _ring.Length);
            var tail = bytes[^_ring.Length..];
            tail[..(_ring.Length - start)].CopyTo(_ring.AsSpan(start));
            tail[(_ring.Length - start)..].CopyTo(_ring);
            return;
        }

        var at = (int)(_total % _ring.Length);
        var first = Math.Min(bytes.Length, _ring.Length - at);
        bytes[..first].CopyTo(_ring.AsSpan(at));
        bytes[first..].CopyTo(_ring);
        _total += bytes.Length;
    }

    protected override ReadOnlySpan<byte> Kept()
    {
        if (_total <= _ring.Length)
        {
            return _ring.AsSpan(0, (int)_total);
        }

        var start = (int)(_total % _ring.Length);
        var ordered = new byte[_ring.Length];
        _ring.AsSpan(start).CopyTo(ordered);
        _ring.AsSpan(0, start).CopyTo(ordered.AsSpan(_ring.Length - start));
        return Utf8Boundaries.SkipLeadingContinuation(ordered);
    }
}
