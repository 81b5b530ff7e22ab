using HandsBot.Rendering.Output;

namespace HandsBot.Rendering.Splitting;

/// <summary>One message: its text and the token range it was made from (to render it again as plain text).</summary>
internal sealed record Part(string Text, Position Start, OpenMarkup? StartStack, Position End);
