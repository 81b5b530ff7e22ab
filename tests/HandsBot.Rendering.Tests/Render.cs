namespace HandsBot.Rendering.Tests;

/// <summary>Shorthands for the tests.</summary>
internal static class Render
{
    /// <summary>Renders to one part (large limit) and returns it.</summary>
    public static string One(string source, RenderTarget target, SourceFormat format = SourceFormat.Markdown)
    {
        var result = ChatRenderer.Render(source, format, target, new RenderOptions { MaxLength = 100_000 });
        Assert.Single(result.Parts);
        return result.Parts[0];
    }

    public static RenderResult All(string source, RenderTarget target, int maxLength, SourceFormat format = SourceFormat.Markdown, string? title = null) =>
        ChatRenderer.Render(source, format, target, new RenderOptions { MaxLength = maxLength, MaxParts = int.MaxValue, Title = title });
}
