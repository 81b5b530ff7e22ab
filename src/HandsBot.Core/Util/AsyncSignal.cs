namespace HandsBot.Core.Util;

/// <summary>
/// A wake-up signal for a loop that otherwise sleeps until a due time: <see cref="Set"/> any number of
/// times, and the next (or current) <see cref="WaitAsync"/> returns once.
/// </summary>
public sealed class AsyncSignal
{
    private TaskCompletionSource _tcs = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public void Set() => _tcs.TrySetResult();

    /// <summary>Waits until signalled or until <paramref name="timeout"/> (null = no timeout) passes on <paramref name="time"/>.</summary>
    public async Task WaitAsync(TimeSpan? timeout, TimeProvider time, CancellationToken ct)
    {
        var current = Volatile.Read(ref _tcs);
        if (!current.Task.IsCompleted)
        {
            if (timeout is { } t)
            {
                if (t > TimeSpan.Zero)
                {
                    using var delayCts = CancellationTokenSource.CreateLinkedTokenSource(ct);
                    var delay = Task.Delay(t, time, delayCts.Token);
                    await Task.WhenAny(current.Task, delay).ConfigureAwait(false);
                    await delayCts.CancelAsync().ConfigureAwait(false);
                }
            }
            else
            {
                await current.Task.WaitAsync(ct).ConfigureAwait(false);
            }
        }
        ct.ThrowIfCancellationRequested();
        // Reset only if nobody replaced it meanwhile; a Set() after this point completes the new one.
        if (current.Task.IsCompleted)
        {
            Interlocked.CompareExchange(ref _tcs, new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously), current);
        }
    }
}
