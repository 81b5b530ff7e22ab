namespace HandsBot.Discord.Tests.Fakes;

/// <summary>An append-only log that tests wait on (a signal, not a sleep) with a safety timeout.</summary>
public sealed class Journal<T>
{
    public static readonly TimeSpan SafetyTimeout = TimeSpan.FromSeconds(20);
    private readonly List<T> _items = [];
    private readonly List<(Func<IReadOnlyList<T>, bool> Done, TaskCompletionSource Signal)> _waiters = [];

    public void Add(T item)
    {
        lock (_items)
        {
            _items.Add(item);
            foreach (var waiter in _waiters.ToList())
            {
                if (waiter.Done(_items))
                {
                    waiter.Signal.TrySetResult();
                    _waiters.Remove(waiter);
                }
            }
        }
    }

    public IReadOnlyList<T> Items
    {
        get { lock (_items) return _items.ToList(); }
    }

    public IReadOnlyList<T> Where(Func<T, bool> match)
    {
        lock (_items) return _items.Where(match).ToList();
    }

    /// <summary>Waits until at least <paramref name="count"/> items match; returns the matches.</summary>
    public async Task<IReadOnlyList<T>> WaitAsync(Func<T, bool> match, int count = 1)
    {
        var signal = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        lock (_items)
        {
            if (_items.Count(match) >= count) return _items.Where(match).ToList();
            _waiters.Add((items => items.Count(match) >= count, signal));
        }
        try
        {
            await signal.Task.WaitAsync(SafetyTimeout);
        }
        catch (TimeoutException)
        {
            throw new TimeoutException($"Waited {SafetyTimeout} for {count} matching {typeof(T).Name}; saw: {string.Join(" | ", Items)}");
        }
        return Where(match);
    }
}
