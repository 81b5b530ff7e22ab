using System.Text;
using BenchmarkDotNet.Attributes;
using HandsBot.Rendering;
using Markdig;

namespace HandsBot.Benchmarks;

/// <summary>
/// Renders a generated 1 MB Markdown document to every Telegram and Discord part, against Markdig's own
/// Markdown.ToHtml on the same input (the baseline; target: within 2×).
/// Run: dotnet run -c Release --project bench/HandsBot.Benchmarks -- --filter '*Rendering*'
/// </summary>
[MemoryDiagnoser]
[ShortRunJob]
public class RenderingBenchmarks
{
    private static readonly RenderOptions AllParts = new() { MaxParts = int.MaxValue };
    private string markdown = "";

    [GlobalSetup]
    public void Setup() => markdown = RenderingDocument.Generate(1 << 20);

    [Benchmark(Baseline = true)]
    public string MarkdigToHtml() => Markdown.ToHtml(markdown, ChatRenderer.Pipeline);

    [Benchmark]
    public int TelegramParts() => ChatRenderer.Render(markdown, SourceFormat.Markdown, RenderTarget.TelegramHtml, AllParts).Parts.Count;

    [Benchmark]
    public int DiscordParts() => ChatRenderer.Render(markdown, SourceFormat.Markdown, RenderTarget.DiscordMarkdown, AllParts).Parts.Count;
}

/// <summary>A deterministic Markdown document of a given size, mixing the constructs hands produce.</summary>
public static class RenderingDocument
{
    private static readonly string[] Words =
    [
        "the", "hand", "checked", "deploy", "status", "and", "found", "3", "failing", "jobs", "<html>", "a&b",
        "retry", "😀", "café", "@everyone", "queue", "latency", "p99", "is", "fine", "snake_case", "x*y",
    ];

    public static string Generate(int size)
    {
        var random = new Random(42);
        var text = new StringBuilder(size + 1024);
        var section = 0;
        while (text.Length < size)
        {
            text.Append("## Section ").Append(section++).Append("\n\n");
            text.Append(Sentence(random, 60)).Append("\n\n");
            for (var i = 0; i < 5; i++) text.Append("- ").Append(Sentence(random, 10)).Append('\n');
            text.Append("  - nested ").Append(Sentence(random, 6)).Append("\n\n");
            text.Append("> ").Append(Sentence(random, 25)).Append("\n\n");
            text.Append("```python\n");
            for (var i = 0; i < 12; i++) text.Append("for i in range(").Append(i).Append("):  # <").Append(Words[random.Next(Words.Length)]).Append(">\n");
            text.Append("```\n\n");
            text.Append("| job | state | time |\n|---|:-:|--:|\n");
            for (var i = 0; i < 4; i++) text.Append("| build-").Append(i).Append(" | ok | ").Append(random.Next(1000)).Append("ms |\n");
            text.Append('\n');
        }
        return text.ToString();
    }

    private static string Sentence(Random random, int words)
    {
        var sentence = new StringBuilder();
        for (var i = 0; i < words; i++)
        {
            if (i > 0) sentence.Append(' ');
            var word = Words[random.Next(Words.Length)];
            sentence.Append(random.Next(10) switch
            {
                0 => $"**{word}**",
                1 => $"*{word}*",
                2 => $"`{word}`",
                3 => $"[{word}](https://example.com/{i})",
                _ => word,
            });
        }
        return sentence.ToString();
    }
}
