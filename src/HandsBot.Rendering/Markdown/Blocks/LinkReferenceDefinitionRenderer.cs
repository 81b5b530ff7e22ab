using Markdig.Syntax;

namespace HandsBot.Rendering.Markdown.Blocks;

/// <summary>Reference definitions ([id]: url) are resolved into the links that use them; they print nothing.</summary>
internal sealed class LinkReferenceDefinitionRenderer : ChatObjectRenderer<LinkReferenceDefinitionGroup>
{
    protected override void Write(ChatMarkdownRenderer renderer, LinkReferenceDefinitionGroup obj)
    {
    }
}
