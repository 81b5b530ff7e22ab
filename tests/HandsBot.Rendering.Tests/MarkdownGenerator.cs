using System.Text;

namespace HandsBot.Rendering.Tests;

/// <summary>
/// Generates random (seeded, bounded) Markdown documents mixing every construct with hostile text:
/// HTML-looking text, entities, mentions, Markdown punctuation, emoji and astral characters. Each
/// document also lists its marker words, which must all survive rendering, in order.
/// </summary>
internal sealed class MarkdownGenerator(int seed)
{
    private static readonly string[] Hostile =
    [
        "&", "&amp;", "<b>", "</i>", "<", ">", "\"", "'", "@everyone", "@here", "<@123>", "<@&45>", "<#67>",
        "*", "_", "~", "|", "||", "\\", "#", "-", "+", "1.", "[x]", "(y)", "😀", "𝄞", "👍🏽", "é", "中文",
        "http://example.com/a_(b)", "&#65;", "&lt;", "<br>", "<script>", ":smile:", "`",
    ];

    private static readonly string[] Languages = ["", "python", "c#", "json", "js", "x<y"];

    private readonly Random random = new(seed);
    private readonly List<string> markers = [];
    private int next;

    public IReadOnlyList<string> Markers => markers;

    public string Document()
    {
        var document = new StringBuilder();
        var blocks = random.Next(1, 12);
        for (var i = 0; i < blocks; i++)
        {
            Block(document, depth: 0);
            document.Append("\n\n");
        }
        return document.ToString();
    }

    private string Marker()
    {
        // Letters, digits and an astral character: never escaped, never markup.
        var marker = $"m{next++}" + (random.Next(4) == 0 ? "😀" : "") + "z";
        markers.Add(marker);
        return marker;
    }

    private void Block(StringBuilder output, int depth)
    {
        switch (random.Next(depth > 2 ? 3 : 9))
        {
            case 0 or 1:
                output.Append(Inline(random.Next(1, 60)));
                break;
            case 2:
                output.Append(new string('#', random.Next(1, 7))).Append(' ').Append(Inline(random.Next(1, 8)));
                break;
            case 3:
                List(output, depth);
                break;
            case 4:
                var quote = new StringBuilder();
                Block(quote, depth + 1);
                output.Append(string.Join('\n', quote.ToString().Split('\n').Select(l => "> " + l)));
                break;
            case 5:
                output.Append("```").Append(Languages[random.Next(Languages.Length)]).Append('\n');
                var lines = random.Next(1, 80);
                for (var l = 0; l < lines; l++)
                {
                    output.Append(new string(' ', random.Next(0, 6))).Append(Marker()).Append(' ').Append(Code(random.Next(0, 30))).Append('\n');
                }
                output.Append("```");
                break;
            case 6:
                var columns = random.Next(1, 5);
                output.Append('|').Append(string.Concat(Enumerable.Range(0, columns).Select(_ => $" {Marker()} |"))).Append('\n');
                output.Append('|').Append(string.Concat(Enumerable.Range(0, columns).Select(c => c % 3 == 0 ? ":--|" : c % 3 == 1 ? "--:|" : ":-:|"))).Append('\n');
                for (var r = random.Next(1, 10); r > 0; r--)
                {
                    output.Append('|').Append(string.Concat(Enumerable.Range(0, columns).Select(_ => $" {Marker()} {Word()} |"))).Append('\n');
                }
                break;
            case 7:
                output.Append(random.Next(2) == 0 ? "---" : "***");
                break;
            default:
                output.Append("<div>").Append(Inline(random.Next(1, 10))).Append("</div>");
                break;
        }
    }

    private void List(StringBuilder output, int depth)
    {
        var ordered = random.Next(2) == 0;
        var indent = new string(' ', depth * (ordered ? 3 : 2));
        for (var i = 0; i < random.Next(1, 8); i++)
        {
            output.Append(indent).Append(ordered ? $"{i + 1}. " : "- ").Append(Inline(random.Next(1, 20))).Append('\n');
            if (depth < 3 && random.Next(4) == 0) List(output, depth + 1);
        }
    }

    private string Inline(int words)
    {
        var text = new StringBuilder();
        for (var i = 0; i < words; i++)
        {
            if (i > 0) text.Append(random.Next(12) == 0 ? "\n" : " ");
            text.Append(random.Next(12) switch
            {
                0 => $"**{Marker()} {Word()}**",
                1 => $"*{Marker()}*",
                2 => $"~~{Marker()}~~",
                3 => $"`{Marker()} {Code(3)}`",
                4 => $"[{Marker()} (x)](https://example.com/p_(q)?a=1&b=2)",
                5 => $"![{Marker()}](https://example.com/i.png)",
                6 => $"<https://example.com/{Marker()}>",
                7 => $"***{Marker()} `{Code(2)}`***",
                8 => Hostile[random.Next(Hostile.Length)],
                _ => random.Next(3) == 0 ? Word() : Marker(),
            });
        }
        return text.ToString();
    }

    private string Word()
    {
        var length = random.Next(1, random.Next(10) == 0 ? 400 : 12);
        var word = new StringBuilder();
        while (word.Length < length)
        {
            word.Append(random.Next(10) == 0 ? Hostile[random.Next(Hostile.Length)] : ((char)('a' + random.Next(26))).ToString());
        }
        return word.ToString();
    }

    private string Code(int words) => string.Join(' ', Enumerable.Range(0, words).Select(_ => random.Next(5) == 0 ? "```" : Word()));
}
