using HandsBot.Core.Configuration;
using HandsBot.Core.Model;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Configuration.Memory;

namespace HandsBot.Configuration;

/// <summary>
/// The configuration as read from the TOML file plus HANDSBOT_* environment variables, and the folder
/// relative paths resolve against: the config file's folder's parent (for config/handsbot.toml, the
/// folder that holds config/, hands/ and data/). Without a config file, the current directory.
/// </summary>
internal sealed class LoadedConfig : ISettingOrigins
{
    public const string DefaultPath = "config/handsbot.toml";

    private readonly TomlConfigFile? _file;
    private readonly EnvironmentSettings _environment;

    private LoadedConfig(string configPath, string displayPath, bool fileExists, string baseDirectory, IConfigurationRoot configuration, TomlConfigFile? file, EnvironmentSettings environment)
    {
        ConfigPath = configPath;
        DisplayPath = displayPath;
        FileExists = fileExists;
        BaseDirectory = baseDirectory;
        Configuration = configuration;
        _file = file;
        _environment = environment;
    }

    /// <summary>The config file's full path (whether or not it exists).</summary>
    public string ConfigPath { get; }

    /// <summary>The config file as given or looked for (config/handsbot.toml), for messages.</summary>
    public string DisplayPath { get; }

    public bool FileExists { get; }

    public string BaseDirectory { get; }

    public IConfigurationRoot Configuration { get; }

    /// <summary>Every setting the file and the environment wrote, with where, for the schema check.</summary>
    public IEnumerable<SettingEntry> Entries => (_file?.Entries ?? []).Concat(_environment.Entries);

    /// <summary>Resolves a configured path: absolute stays, relative is taken from <see cref="BaseDirectory"/>.</summary>
    public string Resolve(string path) => Path.GetFullPath(Path.IsPathRooted(path) ? path : Path.Combine(BaseDirectory, path));

    /// <summary>A path as shown to users: relative to the base folder when inside it.</summary>
    public string Display(string path)
    {
        var relative = Path.GetRelativePath(BaseDirectory, path);
        return relative.StartsWith("..", StringComparison.Ordinal) ? path : relative;
    }

    /// <summary>Reads the config. A missing file is an error only when the path was given explicitly.</summary>
    /// <param name="path">--config, or null for the default.</param>
    /// <param name="environment">The variables to read HANDSBOT_* from (default: the process's).</param>
    /// <param name="overrides">Settings that win over both (tests).</param>
    /// <exception cref="ConfigException">The file is missing (explicit path), unreadable, or not valid TOML.</exception>
    public static LoadedConfig Load(string? path, IEnumerable<KeyValuePair<string, string?>>? environment = null, IDictionary<string, string?>? overrides = null)
    {
        var explicitPath = !string.IsNullOrWhiteSpace(path);
        var full = Path.GetFullPath(explicitPath ? path! : DefaultPath);
        var exists = File.Exists(full);
        if (explicitPath && !exists)
        {
            throw new ConfigException(Directory.Exists(full)
                ? $"{path}: is a folder; --config takes the config file (e.g. {Path.Combine(path!, "handsbot.toml")})."
                : $"{path}: config file not found ({full}). Check the path, or leave out --config to use {DefaultPath} in the current folder.");
        }

        var baseDir = exists
            ? Path.GetDirectoryName(Path.GetDirectoryName(full)!) ?? Path.GetDirectoryName(full)!
            : Directory.GetCurrentDirectory();
        // Shown like hands' files: relative to the base folder (config/handsbot.toml), unless that is the root.
        var display = Path.GetDirectoryName(baseDir) is null ? full : Path.GetRelativePath(baseDir, full);
        TomlConfigFile? file = null;
        if (exists)
        {
            string text;
            try
            {
                text = File.ReadAllText(full);
            }
            catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
            {
                throw new ConfigException($"{display}: cannot be read ({ex.Message}). Make it readable for this user.");
            }
            file = TomlConfigFile.Parse(text, display);
            if (file.Errors.Count > 0) throw new ConfigException(string.Join(Environment.NewLine, file.Errors));
        }
        var env = environment is null ? EnvironmentSettings.FromProcess() : new EnvironmentSettings(environment);

        // Later sources win: the file, then the environment, then overrides.
        var builder = new ConfigurationBuilder();
        if (file is not null) builder.Add(new TomlConfigurationSource(file));
        builder.Add(new MemoryConfigurationSource { InitialData = env.Data });
        if (overrides is not null) builder.AddInMemoryCollection(overrides);
        return new LoadedConfig(full, display, exists, baseDir, builder.Build(), file, env);
    }

    public string Locate(string path)
    {
        var key = path.TrimEnd(':');
        if (Variable(key) is { } variable) return variable;
        var display = SettingPath.Display(path);
        if (_file?.Entries.FirstOrDefault(e => string.Equals(e.Path, key, StringComparison.OrdinalIgnoreCase)) is { } entry)
        {
            return $"{_file.DisplayName}({entry.Line},{entry.Column}): {display}";
        }
        return FileExists ? $"{DisplayPath}: {display}" : display;
    }

    public string Describe(string path)
    {
        var key = path.TrimEnd(':');
        if (Variable(key) is { } variable) return $"the environment variable {variable}";
        return FileExists ? $"{SettingPath.Display(path)} in {DisplayPath}" : $"{SettingPath.Display(path)} (in {DisplayPath}, or {SettingPath.EnvironmentVariable(key)})";
    }

    // The variable that set this key, or one under it (a list's items).
    private string? Variable(string key) =>
        _environment.Variables.TryGetValue(key, out var name) ? name
        : _environment.Variables.FirstOrDefault(v => v.Key.StartsWith(key + ":", StringComparison.OrdinalIgnoreCase)).Value;
}

/// <summary>A configuration problem the user must fix (exit code 2).</summary>
internal sealed class ConfigException(string message) : Exception(message);
