namespace HandsBot.Core.Tests.Running;

/// <summary>Observes processes that are not our children, through /proc.</summary>
internal static class Processes
{
    private static readonly TimeSpan SafetyTimeout = TimeSpan.FromSeconds(20);

    /// <summary>True while the process exists and is not a zombie (a zombie is dead, merely not yet reaped).</summary>
    public static bool IsAlive(int pid)
    {
        try
        {
            var stat = File.ReadAllText($"/proc/{pid}/stat");
            // Format: "pid (comm) state ..."; comm may contain spaces, so read after the last ')'.
            var state = stat[(stat.LastIndexOf(')') + 2)..][0];
            return state is not ('Z' or 'X');
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return false;
        }
    }

    /// <summary>
    /// Waits for a file another process writes (e.g. a PID), returning its trimmed text. Polls because a
    /// foreign process offers no signal to wait on; the timeout is only a safety net.
    /// </summary>
    public static async Task<string> WaitForFileAsync(string path)
    {
        var deadline = DateTime.UtcNow + SafetyTimeout;
        while (DateTime.UtcNow < deadline)
        {
            if (File.Exists(path) && File.ReadAllText(path) is { } text && text.EndsWith('\n'))
            {
                return text.Trim();
            }

            await Task.Delay(10);
        }

        throw new TimeoutException($"{path} was not written within {SafetyTimeout}.");
    }

    /// <summary>
    /// Waits until a SIGKILLed process is gone (signal delivery is asynchronous, so it may take a moment).
    /// Returns false if it is still alive after the safety timeout.
    /// </summary>
    public static async Task<bool> WaitUntilDeadAsync(int pid)
    {
        var deadline = DateTime.UtcNow + SafetyTimeout;
        while (IsAlive(pid))
        {
            if (DateTime.UtcNow > deadline)
            {
                return false;
            }

            await Task.Delay(10);
        }

        return true;
    }
}
