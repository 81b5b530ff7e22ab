using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.RegularExpressions;
using HandsBot.Rendering.Dialects;
using HandsBot.Rendering.Output;

namespace HandsBot.Rendering.Sources;

/// <summary>JSON: a json code block, pretty-printed when it parses (as it is otherwise).</summary>
internal static partial class JsonSource
{
    private static readonly JsonWriterOptions Indented = new()
    {
        Indented = true,
        // The output is displayed, not embedded: keep non-ASCII and HTML characters readable (the dialect escapes them).
        Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
    };

    public static void Write(ChatWriter writer, ChatDialect dialect, string source)
    {
        if (string.IsNullOrWhiteSpace(source)) return;
        var text = Pretty(source) ?? source.Trim();
        writer.Open(dialect.CodeBlock("json"));
        var first = true;
        foreach (var range in text.AsSpan().Split('\n'))
        {
            if (!first) writer.LineBreak();
            writer.Write(text.AsSpan(range).TrimEnd('\r'));
            first = false;
        }
        writer.Close();
        writer.EndBlock();
    }

    /// <summary>The indented form of <paramref name="source"/>, or null when it is not valid JSON.</summary>
    public static string? Pretty(string source)
    {
        try
        {
            using var document = JsonDocument.Parse(source, new JsonDocumentOptions { AllowTrailingCommas = true, CommentHandling = JsonCommentHandling.Skip });
            using var stream = new MemoryStream();
            using (var json = new Utf8JsonWriter(stream, Indented))
            {
                document.WriteTo(json);
            }
            // The encoder still escapes astral characters (emoji) as surrogate pairs: show them as themselves.
            return EscapedSurrogatePair().Replace(Encoding.UTF8.GetString(stream.ToArray()), m =>
                string.Concat((char)Convert.ToUInt16(m.Groups["high"].Value, 16), (char)Convert.ToUInt16(m.Groups["low"].Value, 16)));
        }
        catch (JsonException)
        {
            return null;
        }
    }

    // An escape is one only after an even number of backslashes.
    [GeneratedRegex(@"(?<=(?:^|[^\\])(?:\\\\)*)\\u(?<high>[dD][89abAB][0-9a-fA-F]{2})\\u(?<low>[dD][c-fC-F][0-9a-fA-F]{2})")]
    private static partial Regex EscapedSurrogatePair();
}
