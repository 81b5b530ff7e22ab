using System.Globalization;
using Markdig.Syntax;

namespace HandsBot.Rendering.Markdown.Blocks;

/// <summary>Bullets ("• ", "- " on Discord) or numbers; nested lists are indented under their item.</summary>
internal sealed class ListRenderer : ChatObjectRenderer<ListBlock>
{
    protected override void Write(ChatMarkdownRenderer renderer, ListBlock obj)
    {
        var writer = renderer.Writer;
        var tight = writer.Tight;
        writer.Tight = !obj.IsLoose;
        var number = 1;
        if (obj.IsOrdered && int.TryParse(obj.OrderedStart, NumberStyles.None, CultureInfo.InvariantCulture, out var start))
        {
            number = start;
        }
        foreach (var child in obj)
        {
            var bullet = obj.IsOrdered
                ? number.ToString(CultureInfo.InvariantCulture) + (obj.OrderedDelimiter == ')' ? ") " : ". ")
                : renderer.Dialect.UnorderedBullet;
            number++;
            writer.Open(renderer.Dialect.ListItem(bullet));
            if (child is ContainerBlock { Count: 0 }) writer.Write(" ");
            renderer.Write(child);
            writer.Close();
            writer.EndBlock();
        }
        writer.Tight = tight;
        writer.EndBlock();
    }
}
