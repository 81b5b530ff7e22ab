using HandsBot.Core.Model;

namespace HandsBot.Agents.Tests.Fakes;

/// <summary>A hand folder in a fresh temporary directory, with executable sh tools and their sidecars.</summary>
public sealed class TempHand : IDisposable
{
    private readonly string _root;

    public TempHand(string name = "probe")
    {
        _root = Path.Combine(Path.GetTempPath(), "handsbot-agents-tests", Guid.NewGuid().ToString("N"));
        Directory = Path.Combine(_root, name);
        System.IO.Directory.CreateDirectory(Path.Combine(Directory, "tools"));
        Name = name;
    }

    public string Name { get; }

    public string Directory { get; }

    /// <summary>Writes tools/NAME (an sh script) and tools/NAME.toml.</summary>
    public TempHand AddTool(string name, string script, string sidecar, string? folder = null)
    {
        var dir = folder ?? Path.Combine(Directory, "tools");
        System.IO.Directory.CreateDirectory(dir);
        var path = Path.Combine(dir, name);
        File.WriteAllText(path, "#!/bin/sh\n" + script + "\n");
        if (!OperatingSystem.IsWindows())
            File.SetUnixFileMode(path, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        File.WriteAllText(path + ".toml", sidecar);
        return this;
    }

    public string PathOf(string relative) => Path.Combine(Directory, relative);

    public HandDefinition Definition(HandManifest manifest, string? systemPrompt = null, IReadOnlyList<SkillFile>? skills = null) => new()
    {
        Name = manifest.Name,
        Directory = Directory,
        ManifestPath = Path.Combine(Directory, "HAND.toml"),
        Manifest = manifest,
        SystemPrompt = systemPrompt,
        Skills = skills ?? [],
    };

    public void Dispose()
    {
        try
        {
            System.IO.Directory.Delete(_root, recursive: true);
        }
        catch (IOException)
        {
            // A tool killed on timeout may still hold a file for a moment; the OS temp cleaner gets it.
        }
    }
}
