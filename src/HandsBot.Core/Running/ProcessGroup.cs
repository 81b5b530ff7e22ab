using System.Runtime.InteropServices;

namespace HandsBot.Core.Running;

/// <summary>Signals a whole process group, which reaches grandchildren even after their parent has exited.</summary>
internal static partial class ProcessGroup
{
    private const int SigKill = 9;

    /// <summary>Sends SIGKILL to every process in group <paramref name="groupId"/>; false when none was there.</summary>
    public static bool Kill(int groupId) => groupId > 1 && NativeKill(-groupId, SigKill) == 0;

    [DllImport("libc", EntryPoint = "kill", SetLastError = true)]
    private static extern int NativeKill(int pid, int signal);
}
