namespace HandsBot.Core.Running;

/// <summary>Finds the program a spec names and explains clearly when it cannot be run.</summary>
internal static class ExecutableResolver
{
    private const UnixFileMode AnyExecute = UnixFileMode.UserExecute | UnixFileMode.GroupExecute | UnixFileMode.OtherExecute;

    /// <summary>
    /// Absolute paths are used as they are, names with a '/' are relative to the working directory,
    /// bare names are searched on <paramref name="path"/> (the child's PATH), like execvp.
    /// </summary>
    /// <returns>The absolute path, or null with <paramref name="error"/> set.</returns>
    public static string? Resolve(string fileName, string workingDirectory, string? path, out string? error)
    {
        if (string.IsNullOrWhiteSpace(fileName))
        {
            error = "No program was given to run.";
            return null;
        }

        if (!Directory.Exists(workingDirectory))
        {
            error = $"The working directory '{workingDirectory}' does not exist.";
            return null;
        }

        if (fileName.Contains('/', StringComparison.Ordinal))
        {
            var full = Path.GetFullPath(fileName, workingDirectory);
            error = Check(full);
            return error is null ? full : null;
        }

        foreach (var dir in (path ?? "").Split(':', StringSplitOptions.RemoveEmptyEntries))
        {
            var candidate = Path.GetFullPath(Path.Combine(dir, fileName), workingDirectory);
            if (File.Exists(candidate) && Check(candidate) is null)
            {
                error = null;
                return candidate;
            }
        }

        error = $"The program '{fileName}' was not found on PATH. For a file in the hand's folder write './{fileName}'.";
        return null;
    }

    private static string? Check(string file)
    {
        if (Directory.Exists(file))
        {
            return $"'{file}' is a directory, not a program.";
        }

        if (!File.Exists(file))
        {
            return $"The program '{file}' does not exist.";
        }

        if (OperatingSystem.IsWindows())
        {
            return null;
        }

        return (File.GetUnixFileMode(file) & AnyExecute) == 0
            ? $"The program '{file}' is not executable (chmod +x it, or run it through an interpreter)."
            : null;
    }
}
