namespace HandsBot.Rendering.Dialects;

/// <summary>A code block's language as both platforms accept it: the first word of the info string, word characters only.</summary>
internal static class LanguageName
{
    public static string? Sanitize(string? info)
    {
        if (string.IsNullOrWhiteSpace(info)) return null;
        var span = info.AsSpan().Trim();
        var end = 0;
        while (end < span.Length && end < 32 && (char.IsAsciiLetterOrDigit(span[end]) || span[end] is '_' or '-' or '+' or '#' or '.'))
        {
            end++;
        }
        return end == 0 ? null : span[..end].ToString();
    }
}
