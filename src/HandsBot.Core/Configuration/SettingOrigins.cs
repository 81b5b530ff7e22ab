using System.Globalization;

namespace HandsBot.Core.Configuration;

/// <summary>
/// Where each setting's value came from — a line of the config file or an environment variable — so an
/// error points at the place the user must edit, not at a file that does not say that.
/// </summary>
public interface ISettingOrigins
{
    /// <summary>
    /// The start of an error message about the setting at <paramref name="path"/> ("telegram:mode",
    /// "access:admins:1"): <c>config/handsbot.toml(6,8): [telegram] mode</c>, or
    /// <c>HANDSBOT_TELEGRAM__MODE</c> when the environment set it.
    /// </summary>
    string Locate(string path);

    /// <summary>The same in words, for advice: "[telegram] token in config/handsbot.toml", "the environment variable HANDSBOT_TELEGRAM__TOKEN".</summary>
    string Describe(string path);
}

/// <summary>Origins when nothing is known about the sources: names the section and key only.</summary>
public sealed class UnknownSettingOrigins : ISettingOrigins
{
    public static readonly UnknownSettingOrigins Instance = new();

    public string Locate(string path) => SettingPath.Display(path);

    public string Describe(string path) => SettingPath.Display(path);
}

/// <summary>Configuration paths ("channels:news:telegram") as users write them ("[channels.news] telegram").</summary>
public static class SettingPath
{
    public const string EnvironmentPrefix = "HANDSBOT_";

    /// <summary>
    /// "[telegram] mode" for "telegram:mode"; list indexes are dropped ("access:admins:1" → "[access] admins");
    /// a trailing ':' names a table ("channels:news:" → "[channels.news]").
    /// </summary>
    public static string Display(string path)
    {
        var parts = Parts(path);
        if (path.EndsWith(':')) return $"[{string.Join('.', parts)}]";
        return parts.Count switch
        {
            0 => "",
            1 => $"[{parts[0]}]",
            _ => $"[{string.Join('.', parts.Take(parts.Count - 1))}] {parts[^1]}",
        };
    }

    /// <summary>The environment variable that sets <paramref name="path"/>: HANDSBOT_TELEGRAM__MODE.</summary>
    public static string EnvironmentVariable(string path) =>
        EnvironmentPrefix + string.Join("__", path.Split(':')).ToUpperInvariant();

    /// <summary>The path's names without trailing list indexes.</summary>
    internal static List<string> Parts(string path)
    {
        var parts = path.Split(':', StringSplitOptions.RemoveEmptyEntries).ToList();
        while (parts.Count > 1 && int.TryParse(parts[^1], NumberStyles.None, CultureInfo.InvariantCulture, out _)) parts.RemoveAt(parts.Count - 1);
        return parts;
    }
}
