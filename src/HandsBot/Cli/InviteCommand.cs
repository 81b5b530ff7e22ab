using HandsBot.Discord;

namespace HandsBot.Cli;

/// <summary>`handsbot invite`: the OAuth2 link that adds the bot to a server with the permissions it needs.</summary>
internal static class InviteCommand
{
    public static Task<int> RunAsync(string? configPath, CliOutput output)
    {
        var (config, settings) = HandsBotCli.LoadConfig(configPath, output);
        if (settings.Discord.ApplicationId.Length == 0)
        {
            output.Error($"[discord] application_id is not set. Copy the Application ID from https://discord.com/developers/applications into [discord] application_id in {config.DisplayPath} (or set HANDSBOT_DISCORD__APPLICATION_ID).");
            return Task.FromResult(HandsBotCli.UsageError);
        }
        output.Line(DiscordInvite.Url(settings.Discord.ApplicationId));
        return Task.FromResult(HandsBotCli.Ok);
    }
}
