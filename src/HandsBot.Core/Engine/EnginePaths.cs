namespace HandsBot.Core.Engine;

/// <summary>
/// Folders the engine writes to. <see cref="BaseDirectory"/> is the folder relative paths resolve
/// against (the config file's folder's parent); <see cref="DataDirectory"/> holds the database and
/// per-run scratch files.
/// </summary>
public sealed record EnginePaths(string BaseDirectory, string DataDirectory)
{
    public string Resolve(string path) => Path.GetFullPath(Path.IsPathRooted(path) ? path : Path.Combine(BaseDirectory, path));

    public string RunScratch(string executionId) => Path.Combine(DataDirectory, "runs", executionId);
}
