namespace HandsBot.Rendering.Splitting;

/// <summary>A place in the token list: before character <see cref="Offset"/> of token <see cref="Token"/>.</summary>
internal readonly record struct Position(int Token, int Offset);
