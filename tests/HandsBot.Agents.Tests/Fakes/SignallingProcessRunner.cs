using HandsBot.Core.Running;

namespace HandsBot.Agents.Tests.Fakes;

/// <summary>The real process runner, plus a signal when a process is asked for and the result it gave.</summary>
public sealed class SignallingProcessRunner(IProcessRunner inner) : IProcessRunner
{
    private readonly TaskCompletionSource _started = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public Task Started => _started.Task;

    public ProcessResult? LastResult { get; private set; }

    public async Task<ProcessResult> RunAsync(ProcessSpec spec, CancellationToken ct)
    {
        var run = inner.RunAsync(spec, ct);
        _started.TrySetResult();
        LastResult = await run.ConfigureAwait(false);
        return LastResult;
    }
}
