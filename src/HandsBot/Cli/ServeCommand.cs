using HandsBot.Hosting;
using Microsoft.Extensions.Hosting;

namespace HandsBot.Cli;

/// <summary>`handsbot serve`: runs the bot until Ctrl+C or SIGTERM.</summary>
internal static class ServeCommand
{
    public static async Task<int> RunAsync(string? configPath, CliOutput output, CancellationToken ct)
    {
        var (config, settings) = HandsBotCli.LoadConfig(configPath);
        await using var app = BotHost.Build(config, settings, BotHost.Mode.Serve);
        await ((IHost)app).RunAsync(ct).ConfigureAwait(false);
        return HandsBotCli.Ok;
    }
}
