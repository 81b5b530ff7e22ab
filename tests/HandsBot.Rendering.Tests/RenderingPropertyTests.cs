using HandsBot.Rendering.Tests.Validators;

namespace HandsBot.Rendering.Tests;

/// <summary>
/// Renders thousands of generated documents and checks every part with the independent validators,
/// and that no marker word is lost across parts.
/// </summary>
public class RenderingPropertyTests
{
    private const int Documents = 1500;
    private static readonly int[] Limits = [64, 100, 257, 1000];

    [Theory]
    [InlineData(RenderTarget.TelegramHtml)]
    [InlineData(RenderTarget.DiscordMarkdown)]
    [InlineData(RenderTarget.PlainText)]
    public void Render_ProducesValidPartsAndLosesNoText_ForGeneratedDocuments(RenderTarget target)
    {
        for (var seed = 0; seed < Documents; seed++)
        {
            var generator = new MarkdownGenerator(seed);
            var markdown = generator.Document();
            var limit = seed % 5 == 0 ? ChatRenderer.DefaultMaxLength(target) : Limits[seed % Limits.Length];
            try
            {
                var result = Render.All(markdown, target, limit, title: seed % 7 == 0 ? "Title <&> @everyone" : null);

                PartValidator.ValidateAll(result, target, limit);
                VisibleText.AssertContainsInOrder(VisibleText.Of(result.Parts, target), generator.Markers);
                if (target != RenderTarget.DiscordMarkdown)
                {
                    VisibleText.AssertContainsInOrder(VisibleText.Of(result.PlainParts, RenderTarget.PlainText), generator.Markers);
                }
            }
            catch (Exception e) when (e is not OutOfMemoryException)
            {
                throw new Xunit.Sdk.XunitException($"Seed {seed}, limit {limit}: {e.Message}\n--- source ---\n{markdown}");
            }
        }
    }

    [Theory]
    [InlineData(RenderTarget.TelegramHtml)]
    [InlineData(RenderTarget.DiscordMarkdown)]
    [InlineData(RenderTarget.PlainText)]
    public void Render_AttachesFileWithValidFirstPart_ForGeneratedDocuments(RenderTarget target)
    {
        for (var seed = 0; seed < 300; seed++)
        {
            var markdown = new MarkdownGenerator(seed).Document();
            var result = ChatRenderer.Render(markdown, SourceFormat.Markdown, target, new RenderOptions { MaxLength = 200, MaxParts = 2 });

            PartValidator.ValidateAll(result, target, 200);
            Assert.True(result.Parts.Count <= 2);
            if (result.SentAsFile) Assert.Equal(markdown, result.FileContent);
        }
    }
}
