using System.Collections.Concurrent;
using System.Reflection;
using HandsBot.Core.Storage;

namespace HandsBot.Core.Tests.Engine;

/// <summary>
/// The real store behind a proxy that fails on command: <see cref="Fail"/> makes the next calls of a
/// method throw what a broken disk would (a transient <see cref="StoreUnavailableException"/>), so a
/// test can break any step of a run, a decision or a delivery and watch the engine recover.
/// </summary>
public class FaultyStore : DispatchProxy
{
    private IHandsStore _inner = null!;
    private readonly ConcurrentDictionary<string, int> _failures = new(StringComparer.Ordinal);

    public static (IHandsStore Store, FaultyStore Faults) Wrap(IHandsStore inner)
    {
        var store = Create<IHandsStore, FaultyStore>();
        var faults = (FaultyStore)(object)store;
        faults._inner = inner;
        return (store, faults);
    }

    /// <summary>The next <paramref name="times"/> calls of <paramref name="method"/> (e.g. "FinishAsync") throw.</summary>
    public void Fail(string method, int times = 1) => _failures[method] = times;

    /// <summary>How many armed failures are still to happen for <paramref name="method"/>.</summary>
    public int Pending(string method) => _failures.GetValueOrDefault(method);

    /// <summary>Calls made to each method, failed ones included.</summary>
    public ConcurrentDictionary<string, int> Calls { get; } = new(StringComparer.Ordinal);

    protected override object? Invoke(MethodInfo? targetMethod, object?[]? args)
    {
        var name = targetMethod!.Name;
        Calls.AddOrUpdate(name, 1, (_, n) => n + 1);
        if (_failures.TryGetValue(name, out var left) && left > 0 && _failures.TryUpdate(name, left - 1, left))
        {
            var fault = new StoreUnavailableException($"test fault in {name}: the disk holding the database is full", transient: true);
            if (typeof(Task).IsAssignableFrom(targetMethod.ReturnType))
            {
                var failed = typeof(Task).GetMethod(nameof(Task.FromException), 1, [typeof(Exception)]);
                return targetMethod.ReturnType.IsGenericType
                    ? failed!.MakeGenericMethod(targetMethod.ReturnType.GetGenericArguments()[0]).Invoke(null, [fault])
                    : Task.FromException(fault);
            }
            throw fault;
        }
        try
        {
            return targetMethod.Invoke(_inner, args);
        }
        catch (TargetInvocationException ex) when (ex.InnerException is not null)
        {
            throw ex.InnerException;
        }
    }
}
