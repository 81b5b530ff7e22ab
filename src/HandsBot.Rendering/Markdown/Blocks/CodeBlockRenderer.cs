using Markdig.Syntax;

namespace HandsBot.Rendering.Markdown.Blocks;

/// <summary>Fenced and indented code: pre (with its language) on Telegram, a fence on Discord.</summary>
internal sealed class CodeBlockRenderer : ChatObjectRenderer<CodeBlock>
{
    protected override void Write(ChatMarkdownRenderer renderer, CodeBlock obj)
    {
        var writer = renderer.Writer;
        writer.Open(renderer.Dialect.CodeBlock((obj as FencedCodeBlock)?.Info));
        var lines = obj.Lines;
        for (var i = 0; i < lines.Count; i++)
        {
            if (i > 0) writer.LineBreak();
            writer.Write(lines.Lines[i].Slice.AsSpan());
        }
        if (lines.Count == 0) writer.Write(" ");
        writer.Close();
        writer.EndBlock();
    }
}
