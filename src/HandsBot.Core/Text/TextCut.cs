namespace HandsBot.Core.Text;

/// <summary>Shortens text for chat and storage without splitting a surrogate pair (an emoji cut in half is invalid UTF-16).</summary>
public static class TextCut
{
    /// <summary>The first <paramref name="max"/> chars (one less at a surrogate pair) plus <paramref name="suffix"/>, or the text unchanged.</summary>
    public static string Truncate(string text, int max, string suffix)
    {
        if (text.Length <= max) return text;
        if (max > 0 && char.IsHighSurrogate(text[max - 1])) max--;
        return text[..max] + suffix;
    }
}
