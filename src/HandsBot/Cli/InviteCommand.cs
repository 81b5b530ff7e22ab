using HandsBot.Discord;

namespace HandsBot.Cli;

/// <summary>`handsbot invite`: the OAuth2 link that adds the bot to a server with the permissions it needs.</summary>
internal static class InviteCommand
{
    public static Task<int> RunAsync(string? configPath, CliOutput output)
    {
        var (_, settings) = HandsBotCli.LoadConfig(configPath);
        if (settings.Discord.ApplicationId.Length == 0)
        {
            output.Error("[discord] application_id is not set. Copy the Application ID from https://discord.com/developers/applications into config/handsbot.toml.");
            return Task.FromResult(HandsBotCli.UsageError);
        }
        output.Line(DiscordInvite.Url(settings.Discord.ApplicationId));
        return Task.FromResult(HandsBotCli.Ok);
    }
}
