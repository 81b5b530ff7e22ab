using HandsBot.Rendering.Output;

namespace HandsBot.Rendering.Sources;

/// <summary>Plain text: no Markdown interpretation; lines kept, blank lines separate blocks.</summary>
internal static class TextSource
{
    public static void Write(ChatWriter writer, string source)
    {
        var afterBlank = true;
        foreach (var range in source.AsSpan().Split('\n'))
        {
            var line = source.AsSpan(range).TrimEnd('\r');
            if (line.IsWhiteSpace())
            {
                writer.EndBlock();
                afterBlank = true;
                continue;
            }
            if (!afterBlank) writer.LineBreak();
            writer.Write(line);
            afterBlank = false;
        }
    }
}
