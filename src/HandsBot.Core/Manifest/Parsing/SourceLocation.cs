namespace HandsBot.Core.Manifest.Parsing;

/// <summary>A 1-based line and column in HAND.toml; both null when unknown.</summary>
internal readonly record struct SourceLocation(int? Line, int? Column)
{
    public static readonly SourceLocation Unknown = new(null, null);
}
