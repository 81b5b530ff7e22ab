using System.Text;

namespace HandsBot.Core.Text;

/// <summary>Markdown helpers so user-provided text (outputs, errors, names) is shown literally.</summary>
internal static class Md
{
    // Inline syntax anywhere; with '[' and ']' escaped no link or image can form, so '(' ')' '!' stay literal.
    private const string Special = "\\`*_[]<>|~";
    // Block syntax that only matters at the start of a line.
    private const string LineStart = "#-+=";

    /// <summary>Backslash-escapes Markdown punctuation and flattens line breaks to spaces.</summary>
    public static string Escape(string? text)
    {
        if (string.IsNullOrEmpty(text)) return "";
        var sb = new StringBuilder(text.Length + 8);
        if (LineStart.Contains(text[0], StringComparison.Ordinal)) sb.Append('\\');
        foreach (var c in text)
        {
            if (c is '\r' or '\n') { sb.Append(' '); continue; }
            if (Special.Contains(c, StringComparison.Ordinal)) sb.Append('\\');
            sb.Append(c);
        }
        return sb.ToString();
    }

    /// <summary>An inline code span that survives backticks inside the text.</summary>
    public static string Code(string text)
    {
        var flat = text.Replace('\n', ' ').Replace('\r', ' ');
        var fence = flat.Contains('`', StringComparison.Ordinal) ? "``" : "`";
        var pad = flat.StartsWith('`') || flat.EndsWith('`') ? " " : "";
        return fence + pad + flat + pad + fence;
    }

    /// <summary>A fenced code block whose fence is longer than any backtick run inside.</summary>
    public static string Block(string text)
    {
        var longest = 0;
        var run = 0;
        foreach (var c in text)
        {
            run = c == '`' ? run + 1 : 0;
            longest = Math.Max(longest, run);
        }
        var fence = new string('`', Math.Max(3, longest + 1));
        return $"{fence}\n{text.TrimEnd()}\n{fence}";
    }

    /// <summary>The first non-blank line, cut to <paramref name="max"/> characters with an ellipsis.</summary>
    public static string FirstLine(string? text, int max = 80)
    {
        if (string.IsNullOrWhiteSpace(text)) return "";
        var line = text.Split('\n').Select(l => l.Trim()).FirstOrDefault(l => l.Length > 0) ?? "";
        return line.Length <= max ? line : line[..(max - 1)] + "…";
    }
}
