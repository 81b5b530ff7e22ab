namespace HandsBot.Tests;

/// <summary>A temporary bot folder: config/handsbot.toml, hands/, data/; removed at the end.</summary>
public sealed class TempBot : IDisposable
{
    public TempBot(string config = "")
    {
        Root = Path.Combine(Path.GetTempPath(), "handsbot-host-tests", Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(Path.Combine(Root, "config"));
        Directory.CreateDirectory(Path.Combine(Root, "hands"));
        File.WriteAllText(ConfigPath, config);
    }

    public string Root { get; }
    public string ConfigPath => Path.Combine(Root, "config", "handsbot.toml");

    public string AddHand(string name, string toml, params (string File, string Content)[] files)
    {
        var dir = Path.Combine(Root, "hands", name);
        Directory.CreateDirectory(dir);
        File.WriteAllText(Path.Combine(dir, "HAND.toml"), toml);
        foreach (var (file, content) in files)
        {
            var path = Path.Combine(dir, file);
            Directory.CreateDirectory(Path.GetDirectoryName(path)!);
            File.WriteAllText(path, content);
            if (!OperatingSystem.IsWindows()) File.SetUnixFileMode(path, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        }
        return dir;
    }

    public void Dispose()
    {
        try
        {
            Directory.Delete(Root, recursive: true);
        }
        catch (IOException)
        {
        }
    }
}
