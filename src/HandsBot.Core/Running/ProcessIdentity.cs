using System.Globalization;

namespace HandsBot.Core.Running;

/// <summary>
/// Names processes so that a reused pid is never mistaken for the process that had it: a pid together
/// with its start time (clock ticks since boot, from /proc). Used to name the worker that holds a claim
/// and to find a hand's process left behind by a crash.
/// </summary>
public static class ProcessIdentity
{
    private static readonly string Instance = Guid.NewGuid().ToString("N")[..8];

    /// <summary>This process's worker name: "host/pid/starttime/instance".</summary>
    public static string Self { get; } = string.Create(
        CultureInfo.InvariantCulture,
        $"{Environment.MachineName}/{Environment.ProcessId}/{StartTime(Environment.ProcessId) ?? 0}/{Instance}");

    /// <summary>Another worker name for this process (a second engine in one process, as tests build).</summary>
    public static string NewInstance() => string.Create(
        CultureInfo.InvariantCulture,
        $"{Environment.MachineName}/{Environment.ProcessId}/{StartTime(Environment.ProcessId) ?? 0}/{Guid.NewGuid().ToString("N")[..8]}");

    /// <summary>
    /// True when <paramref name="owner"/> names a live process on this machine other than this one.
    /// False when it is gone, or when it is this process (an earlier engine of it), or on another machine
    /// (unknowable here: leases decide there).
    /// </summary>
    public static bool IsOtherLiveProcess(string owner)
    {
        var parts = owner.Split('/');
        if (parts.Length < 3 || parts[0] != Environment.MachineName) return false;
        if (!int.TryParse(parts[1], NumberStyles.None, CultureInfo.InvariantCulture, out var pid)
            || !long.TryParse(parts[2], NumberStyles.None, CultureInfo.InvariantCulture, out var started)) return false;
        return pid != Environment.ProcessId && StartTime(pid) == started;
    }

    /// <summary>True when <paramref name="owner"/> names a process on this machine (so its liveness can be checked here).</summary>
    public static bool IsLocal(string owner) => owner.Split('/')[0] == Environment.MachineName;

    /// <summary>The process's start time in clock ticks since boot, or null when there is no such process (or no /proc).</summary>
    public static long? StartTime(int pid)
    {
        try
        {
            var stat = File.ReadAllText($"/proc/{pid.ToString(CultureInfo.InvariantCulture)}/stat");
            // The command name (field 2) may hold spaces and parentheses: fields after the last ')' are fixed.
            var fields = stat[(stat.LastIndexOf(')') + 2)..].Split(' ');
            return long.Parse(fields[19], CultureInfo.InvariantCulture);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or FormatException or IndexOutOfRangeException or ArgumentOutOfRangeException)
        {
            return null;
        }
    }

    /// <summary>Kills the process group led by <paramref name="pid"/> if that process is still the one that started at <paramref name="startTime"/>.</summary>
    public static bool KillGroupIfSame(int pid, long startTime) =>
        StartTime(pid) == startTime && ProcessGroup.Kill(pid);
}
