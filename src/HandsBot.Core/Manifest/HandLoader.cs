using HandsBot.Core.Manifest.Disk;
using HandsBot.Core.Manifest.Parsing;
using HandsBot.Core.Model;

namespace HandsBot.Core.Manifest;

/// <summary>
/// Loads hands from disk and validates them. Bad input never throws: every problem becomes a
/// <see cref="Diagnostic"/> on the hand, and one bad hand never stops the others from loading.
/// </summary>
public static class HandLoader
{
    public const string ManifestFileName = "HAND.toml";
    public const string SystemPromptFileName = "SYSTEM.md";

    /// <summary>Loads one hand folder (which should contain HAND.toml).</summary>
    public static HandDefinition LoadHand(string handDirectory, HandLoadContext context)
    {
        ArgumentNullException.ThrowIfNull(handDirectory);
        ArgumentNullException.ThrowIfNull(context);
        return Load(handDirectory, context, ToolLocator.FromEnvironment(context.SharedToolsDir)).Hand;
    }

    /// <summary>
    /// Loads every subfolder of <paramref name="handsDirectory"/> that has a HAND.toml, in ordinal folder-name order,
    /// and reports hands that share a name. A missing folder gives an empty list.
    /// </summary>
    public static IReadOnlyList<HandDefinition> LoadAll(string handsDirectory, HandLoadContext context)
    {
        ArgumentNullException.ThrowIfNull(handsDirectory);
        ArgumentNullException.ThrowIfNull(context);
        var folders = HandFolders(handsDirectory);
        var tools = ToolLocator.FromEnvironment(context.SharedToolsDir);
        var loaded = new LoadedHand[folders.Count];
        // Hands are independent; loading them in parallel keeps a 10,000-hand folder fast.
        Parallel.For(0, folders.Count, i => loaded[i] = Load(folders[i], context, tools));
        return ChainCheck.AddChainProblems(AddDuplicateNameErrors(loaded));
    }

    /// <summary>
    /// Parses HAND.toml text without touching the disk (no program or tool checks).
    /// <paramref name="sourceName"/> names the file in diagnostics; <paramref name="defaultName"/> is used when [hand] has no name.
    /// The manifest is null when the text is not TOML or has no [hand] table; otherwise it is returned even when
    /// diagnostics contain errors, so callers must check for errors before using it.
    /// </summary>
    public static (HandManifest? Manifest, IReadOnlyList<Diagnostic> Diagnostics) Parse(string toml, string sourceName, string defaultName, HandLoadContext context)
    {
        ArgumentNullException.ThrowIfNull(toml);
        ArgumentNullException.ThrowIfNull(sourceName);
        ArgumentNullException.ThrowIfNull(defaultName);
        ArgumentNullException.ThrowIfNull(context);
        var sink = new DiagnosticSink(sourceName);
        var manifest = ParseCore(toml, sink, defaultName, context, environment: null).Manifest;
        return (manifest, sink.Items);
    }

    private static (HandManifest? Manifest, SourceLocation NameAt, SourceLocation AfterAt) ParseCore(
        string toml, DiagnosticSink sink, string defaultName, HandLoadContext context, HandEnvironment? environment)
    {
        try
        {
            var document = TomlDocument.Parse(toml, sink);
            return document is null ? (null, SourceLocation.Unknown, SourceLocation.Unknown) : ManifestReader.Read(document, sink, defaultName, context, environment);
        }
#pragma warning disable CA1031 // A parser bug on strange input must become a diagnostic, not take the bot down.
        catch (Exception ex)
#pragma warning restore CA1031
        {
            sink.Error(SourceLocation.Unknown, "", $"could not be parsed ({ex.GetType().Name}: {ex.Message})");
            return (null, SourceLocation.Unknown, SourceLocation.Unknown);
        }
    }

    private static LoadedHand Load(string handDirectory, HandLoadContext context, ToolLocator tools)
    {
        var directory = Path.GetFullPath(handDirectory);
        var folderName = Path.GetFileName(Path.TrimEndingDirectorySeparator(directory));
        var manifestPath = Path.Combine(directory, ManifestFileName);
        var displayDirectory = Display(directory, context);
        var sink = new DiagnosticSink(Display(manifestPath, context));

        HandManifest? manifest = null;
        var nameAt = SourceLocation.Unknown;
        var afterAt = SourceLocation.Unknown;
        var (manifestBytes, manifestText, manifestProblem) = HandFiles.ReadText(manifestPath);
        if (manifestProblem is not null)
        {
            sink.Error(SourceLocation.Unknown, "", $"{ManifestFileName} {manifestProblem}");
        }
        else
        {
            var environment = new HandEnvironment(directory, displayDirectory, tools);
            (manifest, nameAt, afterAt) = ParseCore(manifestText!, sink, folderName, context, environment);
        }

        var systemPath = Path.Combine(directory, SystemPromptFileName);
        var (systemBytes, systemText, systemProblem) = HandFiles.ReadText(systemPath);
        if (systemProblem is not null && systemProblem != "not found")
        {
            sink.Add(new Diagnostic(Severity.Warning, Display(systemPath, context), null, null, "", $"{SystemPromptFileName} {systemProblem}; the hand runs without it"));
        }
        else if (systemText is null && manifest is { IsAgent: true, Agent: not null })
        {
            sink.Add(new Diagnostic(Severity.Warning, Display(systemPath, context), null, null, "", "agent hand has no SYSTEM.md; the model gets no instructions of its own"));
        }

        var (skills, skillProblems) = HandFiles.ReadSkills(directory);
        foreach (var (file, problem) in skillProblems)
        {
            sink.Add(new Diagnostic(Severity.Warning, Display(file, context), null, null, "", $"skill {problem}; skipped"));
        }

        var hand = new HandDefinition
        {
            Name = manifest is not null && ManifestReader.IsValidName(manifest.Name) ? manifest.Name : folderName,
            Directory = directory,
            ManifestPath = manifestPath,
            Manifest = manifest,
            SystemPrompt = systemText,
            Skills = [.. skills.Select(s => s.Skill)],
            ContentHash = HandFiles.ContentHash(manifestBytes, systemBytes, skills.Select(s => (s.Skill.Name, s.Bytes))),
            Diagnostics = sink.Items,
        };
        return new LoadedHand(hand, nameAt, afterAt, sink.File);
    }

    private static List<string> HandFolders(string handsDirectory)
    {
        try
        {
            if (!Directory.Exists(handsDirectory)) return [];
            var folders = Directory.GetDirectories(handsDirectory)
                .Where(d => !Path.GetFileName(d).StartsWith('.'))
                .Where(d => Path.Exists(Path.Combine(d, ManifestFileName)))
                .ToList();
            folders.Sort(StringComparer.Ordinal);
            return folders;
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException or ArgumentException)
        {
            return [];
        }
    }

    private static List<LoadedHand> AddDuplicateNameErrors(LoadedHand[] loaded)
    {
        var byName = loaded.GroupBy(l => l.Hand.Name, StringComparer.Ordinal)
            .Where(g => g.Count() > 1)
            .ToDictionary(g => g.Key, g => g.ToList(), StringComparer.Ordinal);
        var result = new List<LoadedHand>(loaded.Length);
        foreach (var item in loaded)
        {
            if (!byName.TryGetValue(item.Hand.Name, out var sameName))
            {
                result.Add(item);
                continue;
            }
            var others = string.Join(", ", sameName.Where(o => !ReferenceEquals(o, item)).Select(o => o.DisplayManifestPath));
            var duplicate = new Diagnostic(Severity.Error, item.DisplayManifestPath, item.NameAt.Line, item.NameAt.Column, "name",
                $"hand name '{item.Hand.Name}' is also used by {others}; hand names must be unique");
            result.Add(item with { Hand = item.Hand with { Diagnostics = [.. item.Hand.Diagnostics, duplicate] } });
        }
        return result;
    }

    private static string Display(string path, HandLoadContext context)
    {
        var relative = Path.GetRelativePath(Path.GetFullPath(context.DisplayRoot), path);
        return relative.Replace(Path.DirectorySeparatorChar, '/');
    }

    internal sealed record LoadedHand(HandDefinition Hand, SourceLocation NameAt, SourceLocation AfterAt, string DisplayManifestPath);
}
