using Microsoft.Extensions.Configuration;

namespace HandsBot.Configuration;

/// <summary>
/// The configuration as read from the TOML file plus HANDSBOT_* environment variables, and the folder
/// relative paths resolve against: the config file's folder's parent (for config/handsbot.toml, the
/// folder that holds config/, hands/ and data/). Without a config file, the current directory.
/// </summary>
internal sealed record LoadedConfig(string ConfigPath, bool FileExists, string BaseDirectory, IConfigurationRoot Configuration)
{
    public const string DefaultPath = "config/handsbot.toml";
    public const string EnvironmentPrefix = "HANDSBOT_";

    /// <summary>Resolves a configured path: absolute stays, relative is taken from <see cref="BaseDirectory"/>.</summary>
    public string Resolve(string path) => Path.GetFullPath(Path.IsPathRooted(path) ? path : Path.Combine(BaseDirectory, path));

    /// <summary>A path as shown to users: relative to the base folder when inside it.</summary>
    public string Display(string path)
    {
        var relative = Path.GetRelativePath(BaseDirectory, path);
        return relative.StartsWith("..", StringComparison.Ordinal) ? path : relative;
    }

    /// <summary>Reads the config. A missing file is an error only when the path was given explicitly.</summary>
    /// <exception cref="ConfigException">The file is missing (explicit path) or is not valid TOML.</exception>
    public static LoadedConfig Load(string? path, IDictionary<string, string?>? overrides = null)
    {
        var explicitPath = !string.IsNullOrWhiteSpace(path);
        var full = Path.GetFullPath(explicitPath ? path! : DefaultPath);
        var exists = File.Exists(full);
        if (explicitPath && !exists) throw new ConfigException($"{path}: config file not found.");

        var baseDir = exists
            ? Path.GetDirectoryName(Path.GetDirectoryName(full)!) ?? Path.GetDirectoryName(full)!
            : Directory.GetCurrentDirectory();
        var builder = new ConfigurationBuilder();
        if (exists)
        {
            try
            {
                var data = TomlConfigurationProvider.Parse(File.ReadAllText(full), explicitPath ? path! : DefaultPath);
                builder.AddInMemoryCollection(data);
            }
            catch (FormatException ex)
            {
                throw new ConfigException(ex.Message);
            }
        }
        builder.AddEnvironmentVariables(EnvironmentPrefix);
        if (overrides is not null) builder.AddInMemoryCollection(overrides);
        return new LoadedConfig(full, exists, baseDir, builder.Build());
    }
}

/// <summary>A configuration problem the user must fix (exit code 2).</summary>
internal sealed class ConfigException(string message) : Exception(message);
