namespace HandsBot.Core.Manifest.Disk;

/// <summary>File checks for programs a hand runs.</summary>
internal static class Executables
{
    private const UnixFileMode AnyExecute = UnixFileMode.UserExecute | UnixFileMode.GroupExecute | UnixFileMode.OtherExecute;

    public static bool IsExecutableFile(string path)
    {
        try
        {
            if (!File.Exists(path)) return false;
            return OperatingSystem.IsWindows() || (File.GetUnixFileMode(path) & AnyExecute) != 0;
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException or ArgumentException or NotSupportedException)
        {
            return false;
        }
    }

    public static bool IsFileWithoutExecuteBit(string path)
    {
        try
        {
            return File.Exists(path) && !OperatingSystem.IsWindows() && (File.GetUnixFileMode(path) & AnyExecute) == 0;
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException or ArgumentException or NotSupportedException)
        {
            return false;
        }
    }
}
