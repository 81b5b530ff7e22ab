using System.Globalization;
using System.Text;
using Markdig.Extensions.Tables;
using Markdig.Syntax;

namespace HandsBot.Rendering.Markdown.Blocks;

/// <summary>
/// Neither platform has tables: the cells' text in aligned columns, as a code block so the columns
/// line up in a monospace font.
/// </summary>
internal sealed class TableRenderer : ChatObjectRenderer<Table>
{
    protected override void Write(ChatMarkdownRenderer renderer, Table obj)
    {
        var rows = new List<(bool Header, string[] Cells)>();
        foreach (var block in obj)
        {
            if (block is not TableRow row) continue;
            var cells = new List<string>();
            foreach (var cell in row)
            {
                cells.Add(InlineText.Of(cell));
            }
            rows.Add((row.IsHeader, cells.ToArray()));
        }
        var columns = rows.Count == 0 ? 0 : rows.Max(r => r.Cells.Length);
        var widths = new int[columns];
        foreach (var (_, cells) in rows)
        {
            for (var i = 0; i < cells.Length; i++) widths[i] = Math.Max(widths[i], Width(cells[i]));
        }

        var writer = renderer.Writer;
        writer.Open(renderer.Dialect.CodeBlock(null));
        var line = new StringBuilder();
        for (var r = 0; r < rows.Count; r++)
        {
            if (r > 0) writer.LineBreak();
            line.Clear();
            for (var c = 0; c < columns; c++)
            {
                if (c > 0) line.Append(" | ");
                var cell = c < rows[r].Cells.Length ? rows[r].Cells[c] : "";
                Pad(line, cell, widths[c], Alignment(obj, c));
            }
            writer.Write(line.ToString().TrimEnd());
            if (rows[r].Header && (r + 1 == rows.Count || !rows[r + 1].Header))
            {
                writer.LineBreak();
                writer.Write(string.Join("-+-", widths.Select(w => new string('-', Math.Max(w, 1)))));
            }
        }
        writer.Close();
        writer.EndBlock();
    }

    private static TableColumnAlign? Alignment(Table table, int column) =>
        column < table.ColumnDefinitions.Count ? table.ColumnDefinitions[column].Alignment : null;

    // Text elements, so an emoji or an accented letter counts as one column.
    private static int Width(string text) => new StringInfo(text).LengthInTextElements;

    private static void Pad(StringBuilder line, string cell, int width, TableColumnAlign? align)
    {
        var padding = width - Width(cell);
        var left = align switch
        {
            TableColumnAlign.Right => padding,
            TableColumnAlign.Center => padding / 2,
            _ => 0,
        };
        line.Append(' ', left).Append(cell).Append(' ', padding - left);
    }
}
