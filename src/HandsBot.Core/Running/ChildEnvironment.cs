namespace HandsBot.Core.Running;

/// <summary>Builds a child's whole environment: a minimal base taken from the bot plus the spec's variables.</summary>
internal static class ChildEnvironment
{
    private const string DefaultPath = "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin";

    /// <summary>The variables passed from the bot's own environment; everything else is withheld.</summary>
    public static readonly IReadOnlyList<string> InheritedNames = ["PATH", "HOME", "LANG", "TZ", "TMPDIR"];

    /// <param name="extra">The spec's variables, which override the base.</param>
    /// <param name="read">Reads the bot's environment (replaceable in tests).</param>
    public static Dictionary<string, string> Build(IReadOnlyDictionary<string, string> extra, Func<string, string?>? read = null)
    {
        read ??= System.Environment.GetEnvironmentVariable;
        var env = new Dictionary<string, string>(StringComparer.Ordinal)
        {
            ["PATH"] = NonEmpty(read("PATH")) ?? DefaultPath,
            ["HOME"] = NonEmpty(read("HOME")) ?? NonEmpty(System.Environment.GetFolderPath(System.Environment.SpecialFolder.UserProfile)) ?? "/",
            // A UTF-8 locale so children write UTF-8, which is how their output is decoded.
            ["LANG"] = NonEmpty(read("LANG")) ?? "C.UTF-8",
            ["TMPDIR"] = NonEmpty(read("TMPDIR")) ?? Path.TrimEndingDirectorySeparator(Path.GetTempPath()),
        };
        if (NonEmpty(read("TZ")) is { } tz)
        {
            env["TZ"] = tz;
        }

        foreach (var (name, value) in extra)
        {
            if (name.Length == 0 || name.Contains('=', StringComparison.Ordinal) || name.Contains('\0', StringComparison.Ordinal))
            {
                throw new ArgumentException($"Environment variable name '{name}' is invalid: it must be non-empty and contain no '=' or NUL.", nameof(extra));
            }

            env[name] = value;
        }

        return env;
    }

    private static string? NonEmpty(string? value) => string.IsNullOrEmpty(value) ? null : value;
}
