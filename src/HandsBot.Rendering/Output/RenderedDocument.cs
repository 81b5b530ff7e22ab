namespace HandsBot.Rendering.Output;

/// <summary>A rendered document before splitting: all its text in one buffer, and its tokens.</summary>
internal sealed record RenderedDocument(string Text, IReadOnlyList<Token> Tokens)
{
    public ReadOnlySpan<char> TextOf(in Token token) => Text.AsSpan(token.Start, token.Length);
}
