using System.Collections.Concurrent;

namespace HandsBot.Core.Manifest.Disk;

/// <summary>
/// Finds executables in the shared tools folder and on PATH, caching answers for one load
/// (10,000 hands ask for the same few tools).
/// </summary>
internal sealed class ToolLocator(string? sharedToolsDir, string? pathVariable)
{
    private readonly string[] _pathDirs = (pathVariable ?? "")
        .Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
    private readonly ConcurrentDictionary<string, bool> _sharedCache = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, bool> _pathCache = new(StringComparer.Ordinal);

    public static ToolLocator FromEnvironment(string? sharedToolsDir) =>
        new(sharedToolsDir, Environment.GetEnvironmentVariable("PATH"));

    public string? SharedToolsDir { get; } = string.IsNullOrWhiteSpace(sharedToolsDir) ? null : sharedToolsDir;

    public bool InShared(string name) =>
        SharedToolsDir is { } dir && _sharedCache.GetOrAdd(name, n => Executables.IsExecutableFile(Path.Combine(dir, n)));

    public bool OnPath(string name) =>
        _pathCache.GetOrAdd(name, n => _pathDirs.Any(dir => Executables.IsExecutableFile(Path.Combine(dir, n))));
}
