namespace HandsBot.Discord;

/// <summary>The OAuth2 link that adds the bot to a server with the least it needs.</summary>
public static class DiscordInvite
{
    // VIEW_CHANNEL (1 << 10), SEND_MESSAGES (1 << 11), EMBED_LINKS (1 << 14), ATTACH_FILES (1 << 15),
    // READ_MESSAGE_HISTORY (1 << 16). ATTACH_FILES is needed because long outputs are sent as .md files.
    public const long Permissions = (1L << 10) | (1L << 11) | (1L << 14) | (1L << 15) | (1L << 16);

    public static string Url(string applicationId)
    {
        if (string.IsNullOrWhiteSpace(applicationId) || !applicationId.All(char.IsAsciiDigit))
        {
            throw new ArgumentException("[discord] application_id must be the numeric application id from the developer portal", nameof(applicationId));
        }
        return $"https://discord.com/oauth2/authorize?client_id={applicationId}&scope=bot+applications.commands&permissions={Permissions}";
    }
}
