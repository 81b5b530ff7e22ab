namespace HandsBot.Core.Manifest.Disk;

/// <summary>The hand's folder on disk plus tool lookup, for the checks that need a file system.</summary>
internal sealed class HandEnvironment(string handDirectory, string displayDirectory, ToolLocator tools)
{
    public string HandDirectory { get; } = handDirectory;

    /// <summary>Problem with the program a command starts, or null when it can be run.</summary>
    public string? CheckProgram(string program)
    {
        if (program.Contains('/', StringComparison.Ordinal) || program.Contains('\\', StringComparison.Ordinal))
        {
            var path = Path.IsPathRooted(program) ? program : Path.GetFullPath(Path.Combine(HandDirectory, program));
            var shown = Path.IsPathRooted(program) ? program : $"{program} (in {displayDirectory})";
            if (Executables.IsExecutableFile(path)) return null;
            if (Executables.IsFileWithoutExecuteBit(path)) return $"'{shown}' is not executable (chmod +x {program})";
            if (Directory.Exists(path)) return $"'{shown}' is a folder, not a program";
            return $"'{shown}' does not exist";
        }
        return tools.OnPath(program) ? null : $"program '{program}' is not on PATH";
    }

    /// <summary>Whether a [tools] name resolves: the hand's tools/ folder, then the shared tools folder, then PATH.</summary>
    public bool FindTool(string name) =>
        Executables.IsExecutableFile(Path.Combine(HandDirectory, "tools", name))
        || tools.InShared(name)
        || tools.OnPath(name);

    public string DescribeSearch() =>
        tools.SharedToolsDir is null
            ? $"{displayDirectory}/tools or PATH"
            : $"{displayDirectory}/tools, the shared tools folder or PATH";
}
