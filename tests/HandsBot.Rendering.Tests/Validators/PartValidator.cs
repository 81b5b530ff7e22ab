namespace HandsBot.Rendering.Tests.Validators;

/// <summary>Validates every part (and plain part) of a result for its target.</summary>
public static class PartValidator
{
    public static void ValidateAll(RenderResult result, RenderTarget target, int maxLength)
    {
        Assert.NotEmpty(result.Parts);
        Assert.Equal(result.Parts.Count, result.PlainParts.Count);
        for (var i = 0; i < result.Parts.Count; i++)
        {
            try
            {
                Validate(result.Parts[i], target, maxLength);
                ValidatePlain(result.PlainParts[i], target, maxLength);
            }
            catch (FormatException e)
            {
                throw new Xunit.Sdk.XunitException($"Part {i + 1}/{result.Parts.Count} is invalid: {e.Message}\n---\n{result.Parts[i]}\n---");
            }
        }
    }

    public static void Validate(string part, RenderTarget target, int maxLength)
    {
        switch (target)
        {
            case RenderTarget.TelegramHtml:
                TelegramHtmlValidator.Validate(part, maxLength);
                break;
            case RenderTarget.DiscordMarkdown:
                DiscordMarkdownValidator.Validate(part, maxLength);
                break;
            default:
                ValidatePlain(part, target, maxLength);
                break;
        }
    }

    private static void ValidatePlain(string part, RenderTarget target, int maxLength)
    {
        // Plain parts are sent without parse mode on Telegram: only the raw length counts.
        if (part.Length > maxLength) throw new FormatException($"Plain part is {part.Length} long, over {maxLength}.");
        if (string.IsNullOrWhiteSpace(part)) throw new FormatException("Plain part is empty.");
        if (target == RenderTarget.DiscordMarkdown) DiscordMarkdownValidator.Validate(part, maxLength);
    }
}
