using HandsBot.Core.Engine;
using HandsBot.Core.Storage;
using HandsBot.Hosting;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

namespace HandsBot.Cli;

/// <summary>`handsbot serve`: runs the bot until Ctrl+C or SIGTERM.</summary>
internal static class ServeCommand
{
    public static async Task<int> RunAsync(string? configPath, CliOutput output, CancellationToken ct)
    {
        var (config, settings) = HandsBotCli.LoadConfig(configPath, output);
        StartupChecks.RequireHandsFolder(config, settings);
        await using var app = BotHost.Build(config, settings, BotHost.Mode.Serve);
        app.Services.GetRequiredService<StartupReport>().ReportConfig();
        // Open the store here, where a fault becomes one clear message; the engine's own start finds it ready.
        await StartupChecks.OpenStoreAsync(app.Services, config.Resolve(settings.Storage.Path), ct).ConfigureAwait(false);
        // A second `serve` on a single-process store is refused here, with the other process named.
        await app.Services.GetRequiredService<IStoreAdmin>().AcquireForServingAsync(app.Services.GetRequiredService<RunWorker>().Owner, ct).ConfigureAwait(false);
        await ((IHost)app).RunAsync(ct).ConfigureAwait(false);
        return HandsBotCli.Ok;
    }
}
