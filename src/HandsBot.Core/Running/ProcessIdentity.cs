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

    /// <summary>
    /// The process groups of every process whose environment holds <paramref name="variable"/>=<paramref name="value"/>
    /// (a hand's processes carry HAND_RUN_ID): found even when their pid was never recorded.
    /// </summary>
    public static IReadOnlyList<int> GroupsWithEnvironment(string variable, string value)
    {
        var needle = System.Text.Encoding.UTF8.GetBytes($"{variable}={value}\0");
        var groups = new HashSet<int>();
        IEnumerable<string> entries;
        try
        {
            entries = Directory.EnumerateDirectories("/proc");
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return [];
        }
        foreach (var dir in entries)
        {
            if (!int.TryParse(Path.GetFileName(dir), NumberStyles.None, CultureInfo.InvariantCulture, out var pid) || pid == Environment.ProcessId) continue;
            try
            {
                var environ = File.ReadAllBytes(Path.Combine(dir, "environ"));
                if (environ.AsSpan().IndexOf(needle) < 0 && !StartsWith(environ, needle.AsSpan(0, needle.Length - 1))) continue;
                var stat = File.ReadAllText(Path.Combine(dir, "stat"));
                var fields = stat[(stat.LastIndexOf(')') + 2)..].Split(' ');
                var group = int.Parse(fields[2], CultureInfo.InvariantCulture);
                // Never this process's own group (a child started without its own session would be in it).
                if (group > 1 && group != OwnGroup.Value) groups.Add(group);
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException or FormatException or IndexOutOfRangeException or ArgumentOutOfRangeException)
            {
                // Gone meanwhile, or not ours to read.
            }
        }
        return [.. groups];

        // The first variable has no NUL before it; a match must still end at a NUL (or the end).
        static bool StartsWith(byte[] environ, ReadOnlySpan<byte> prefix) =>
            environ.AsSpan().StartsWith(prefix) && (environ.Length == prefix.Length || environ[prefix.Length] == 0);
    }

    private static readonly Lazy<int> OwnGroup = new(() =>
    {
        try
        {
            var stat = File.ReadAllText("/proc/self/stat");
            return int.Parse(stat[(stat.LastIndexOf(')') + 2)..].Split(' ')[2], CultureInfo.InvariantCulture);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or FormatException or IndexOutOfRangeException)
        {
            return -1;
        }
    });

    /// <summary>Kills the process group led by <paramref name="pid"/> if that process is still the one that started at <paramref name="startTime"/>.</summary>
    public static bool KillGroupIfSame(int pid, long startTime) =>
        StartTime(pid) == startTime && ProcessGroup.Kill(pid);

    /// <summary>Sends SIGKILL to process group <paramref name="group"/>.</summary>
    public static bool KillGroup(int group) => ProcessGroup.Kill(group);
}
