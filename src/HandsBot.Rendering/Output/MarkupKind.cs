namespace HandsBot.Rendering.Output;

/// <summary>Kinds of markup, as far as nesting rules care (Telegram: code never inside formatting, quotes never nested).</summary>
internal enum MarkupKind
{
    Formatting,
    Code,
    Link,
    Quote,
    /// <summary>Visible text such as bullets: nests anywhere.</summary>
    Layout,
}
