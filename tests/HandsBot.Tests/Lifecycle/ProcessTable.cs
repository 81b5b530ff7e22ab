using System.Globalization;
using System.Text;

namespace HandsBot.Tests.Lifecycle;

/// <summary>What runs on this machine, read from /proc: to check from the outside that no hand's process is left behind.</summary>
internal static class ProcessTable
{
    /// <summary>Pids of processes whose command line contains <paramref name="marker"/> (e.g. "sleep 60.47").</summary>
    public static IReadOnlyList<int> WithCommandLine(string marker)
    {
        var found = new List<int>();
        foreach (var dir in Directory.EnumerateDirectories("/proc"))
        {
            if (!int.TryParse(Path.GetFileName(dir), NumberStyles.None, CultureInfo.InvariantCulture, out var pid)) continue;
            try
            {
                var cmdline = File.ReadAllBytes(Path.Combine(dir, "cmdline"));
                if (Encoding.UTF8.GetString(cmdline).Replace('\0', ' ').Contains(marker, StringComparison.Ordinal)) found.Add(pid);
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
            }
        }
        return found;
    }

    /// <summary>Waits (bounded) until <paramref name="condition"/> holds; for state that has no event.</summary>
    public static async Task WaitUntilAsync(Func<bool> condition, string what, int seconds = 30)
    {
        var deadline = DateTime.UtcNow.AddSeconds(seconds);
        while (!condition())
        {
            if (DateTime.UtcNow > deadline) throw new TimeoutException("Timed out waiting until " + what);
            await Task.Delay(20);
        }
    }
}
