using System.Diagnostics;

namespace HandsBot.Storage.Sqlite.Tests.Support;

/// <summary>
/// Real file-system faults for the store: a small tmpfs (a disk that fills up) and read-only paths. Root
/// ignores permission bits, and these tests run as root (here and in CI), so read-only is a read-only
/// bind mount there; another user gets the permission bits taken away instead.
/// </summary>
internal sealed class Mounts : IDisposable
{
    private readonly Action _undo;

    private Mounts(Action undo) => _undo = undo;

    public static bool Privileged => Environment.IsPrivilegedProcess;

    /// <summary>Mounts a tmpfs of <paramref name="size"/> (e.g. "2m") on <paramref name="folder"/>, created if missing.</summary>
    public static Mounts Tmpfs(string folder, string size)
    {
        Directory.CreateDirectory(folder);
        Run("mount", "-t", "tmpfs", "-o", $"size={size},mode=0755", "tmpfs", folder);
        return new Mounts(() => Unmount(folder));
    }

    /// <summary>Makes a folder or file read-only until disposed.</summary>
    public static Mounts ReadOnly(string path)
    {
        if (!Privileged)
        {
            return OperatingSystem.IsWindows() ? throw new PlatformNotSupportedException("Read-only paths are made on Linux.") : WithoutWriteBits(path);
        }

        Run("mount", "--bind", path, path);
        try
        {
            Run("mount", "-o", "remount,bind,ro", path);
        }
        catch
        {
            Unmount(path);
            throw;
        }

        return new Mounts(() => Unmount(path));
    }

    public void Dispose() => _undo();

    [System.Runtime.Versioning.UnsupportedOSPlatform("windows")]
    private static Mounts WithoutWriteBits(string path)
    {
        var mode = File.GetUnixFileMode(path);
        File.SetUnixFileMode(path, mode & ~(UnixFileMode.UserWrite | UnixFileMode.GroupWrite | UnixFileMode.OtherWrite));
        return new Mounts(() => File.SetUnixFileMode(path, mode));
    }

    // Lazy: the store under test may still hold files open on it; the mount goes away when they close.
    private static void Unmount(string path) => Run("umount", "-l", path);

    private static void Run(string command, params string[] args)
    {
        var start = new ProcessStartInfo(command) { RedirectStandardError = true, RedirectStandardOutput = true };
        foreach (var arg in args)
        {
            start.ArgumentList.Add(arg);
        }

        using var process = Process.Start(start) ?? throw new InvalidOperationException($"Could not start {command}.");
        var error = process.StandardError.ReadToEnd();
        process.WaitForExit();
        if (process.ExitCode != 0)
        {
            throw new InvalidOperationException($"{command} {string.Join(' ', args)} failed ({process.ExitCode}): {error}");
        }
    }
}
