namespace HandsBot.Core.Model;

/// <summary>A hand as found on disk: its manifest (null when it could not be parsed), prompt files and problems.</summary>
public sealed record HandDefinition
{
    /// <summary>The manifest's name, or the folder name when the manifest could not be read.</summary>
    public required string Name { get; init; }
    public required string Directory { get; init; }
    public required string ManifestPath { get; init; }
    public HandManifest? Manifest { get; init; }
    /// <summary>SYSTEM.md's text, if present.</summary>
    public string? SystemPrompt { get; init; }
    /// <summary>skills/*.md in ordinal file-name order.</summary>
    public IReadOnlyList<SkillFile> Skills { get; init; } = [];
    /// <summary>Hash of HAND.toml, SYSTEM.md and skills, to tell a changed hand from an unchanged one.</summary>
    public string ContentHash { get; init; } = "";
    public IReadOnlyList<Diagnostic> Diagnostics { get; init; } = [];

    public bool IsValid => Manifest is not null && !Diagnostics.Any(d => d.IsError);
    public IEnumerable<Diagnostic> Errors => Diagnostics.Where(d => d.IsError);
}

public sealed record SkillFile(string Name, string Content);
