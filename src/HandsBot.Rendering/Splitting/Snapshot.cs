using HandsBot.Rendering.Output;

namespace HandsBot.Rendering.Splitting;

/// <summary>
/// A place where the current part could end: the part's text up to <see cref="Length"/> (what it costs
/// so far, which markups are open) and where the next part resumes (after a line break, the break is dropped).
/// </summary>
internal readonly record struct Snapshot(Position End, Position Resume, int Length, int Used, OpenMarkup? Stack, bool Visible);
