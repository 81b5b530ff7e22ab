namespace HandsBot.Telegram.Receiving;

/// <summary>A parsed "/name@Bot arg1 arg2" message.</summary>
internal sealed record CommandText(string Name, string? Addressee, IReadOnlyList<string> Args)
{
    /// <summary>
    /// Parses a command message. Null when the text is not a command. Names are lower-cased;
    /// <see cref="Addressee"/> is the "@Bot" suffix without the "@" when present.
    /// </summary>
    public static CommandText? Parse(string? text)
    {
        if (string.IsNullOrEmpty(text) || text[0] != '/' || text.Length < 2) return null;
        var tokens = text.Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        var head = tokens[0][1..];
        string? addressee = null;
        var at = head.IndexOf('@', StringComparison.Ordinal);
        if (at >= 0)
        {
            addressee = head[(at + 1)..];
            head = head[..at];
        }
        if (head.Length == 0 || !head.All(c => char.IsAsciiLetterOrDigit(c) || c == '_')) return null;
        return new CommandText(head.ToLowerInvariant(), addressee, tokens[1..]);
    }

    /// <summary>True unless the command names another bot ("/run@OtherBot").</summary>
    public bool IsFor(string? botUsername) =>
        Addressee is null || (botUsername is not null && string.Equals(Addressee, botUsername, StringComparison.OrdinalIgnoreCase));
}
