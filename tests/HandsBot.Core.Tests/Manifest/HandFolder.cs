namespace HandsBot.Core.Tests.Manifest;

/// <summary>A throw-away hands folder under the temp directory, deleted on dispose.</summary>
internal sealed class HandFolder : IDisposable
{
    public HandFolder()
    {
        Root = Path.Combine(Path.GetTempPath(), "handsbot-manifest-" + Guid.NewGuid().ToString("N"));
        Hands = Path.Combine(Root, "hands");
        Directory.CreateDirectory(Hands);
    }

    public string Root { get; }
    public string Hands { get; }

    /// <summary>Creates hands/&lt;name&gt;/ with HAND.toml (when given) and returns the folder.</summary>
    public string AddHand(string folder, string? toml)
    {
        var dir = Path.Combine(Hands, folder);
        Directory.CreateDirectory(dir);
        if (toml is not null) File.WriteAllText(Path.Combine(dir, "HAND.toml"), toml);
        return dir;
    }

    public string Write(string relativePath, string content, bool executable = false)
    {
        var path = Path.Combine(Root, relativePath);
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        File.WriteAllText(path, content);
        if (executable && !OperatingSystem.IsWindows())
        {
            File.SetUnixFileMode(path, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        }
        else if (!OperatingSystem.IsWindows())
        {
            File.SetUnixFileMode(path, UnixFileMode.UserRead | UnixFileMode.UserWrite);
        }
        return path;
    }

    public void Dispose()
    {
        try
        {
            Directory.Delete(Root, recursive: true);
        }
        catch (IOException)
        {
            // Best effort: a leftover temp folder must not fail a test.
        }
    }
}
