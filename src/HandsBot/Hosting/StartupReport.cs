using HandsBot.Configuration;
using HandsBot.ConsoleChannel;
using HandsBot.Core.Delivery;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace HandsBot.Hosting;

/// <summary>
/// What `serve` tells the user first, one log line per fact: which config file it read (or where it
/// looked), where the data lives, which channels are active and where each delivers by default, and
/// whether the console is on.
/// </summary>
internal sealed partial class StartupReport(LoadedConfig config, HandsBotSettings settings, IServiceProvider services, ILogger<StartupReport> logger) : IHostedService
{
    private int _configReported;

    /// <summary>The config file and folders; `serve` says this before it opens the store.</summary>
    public void ReportConfig()
    {
        if (Interlocked.Exchange(ref _configReported, 1) == 1) return;
        if (config.FileExists)
        {
            LogConfigRead(logger, config.ConfigPath);
        }
        else
        {
            LogNoConfig(logger, config.ConfigPath, Directory.GetCurrentDirectory(), config.BaseDirectory);
        }
        LogFolders(logger, config.Resolve(settings.Hands.Dir), config.Resolve(settings.Storage.Path));
    }

    public Task StartAsync(CancellationToken cancellationToken)
    {
        ReportConfig();
        var channels = services.GetRequiredService<ChannelSet>();
        foreach (var platform in channels.ChatPlatforms.Where(p => p != DeliveryRouter.Console))
        {
            if (channels.Get(platform)?.DefaultTarget is { } target) LogChannel(logger, platform, target.ToString());
            else LogChannelWithoutDefault(logger, platform);
        }
        switch (settings.ConsoleMode)
        {
            case ConsoleMode.On:
                LogConsoleOn(logger);
                break;
            case ConsoleMode.Standby:
                LogConsoleStandby(logger);
                break;
            default:
                if (!channels.ChatPlatforms.Any()) LogNoChannel(logger);
                else LogConsoleOff(logger);
                break;
        }
        return Task.CompletedTask;
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    [LoggerMessage(EventId = 1, Level = LogLevel.Information, Message = "Config: read {Path}")]
    private static partial void LogConfigRead(ILogger logger, string path);

    [LoggerMessage(EventId = 2, Level = LogLevel.Warning, Message = "Config: no file at {Path} (looked relative to the current folder {Current}); using defaults and HANDSBOT_* variables, relative paths from {Base}. Run from the folder that holds config/, or pass --config")]
    private static partial void LogNoConfig(ILogger logger, string path, string current, string @base);

    [LoggerMessage(EventId = 3, Level = LogLevel.Information, Message = "Hands from {Hands}; data in {Database}")]
    private static partial void LogFolders(ILogger logger, string hands, string database);

    [LoggerMessage(EventId = 4, Level = LogLevel.Information, Message = "Channel {Platform} active; hands without [output] channel deliver to {Target}")]
    private static partial void LogChannel(ILogger logger, string platform, string target);

    [LoggerMessage(EventId = 5, Level = LogLevel.Information, Message = "Channel {Platform} active; no default target set, so it gets only deliveries routed by [channels] and replies to commands")]
    private static partial void LogChannelWithoutDefault(ILogger logger, string platform);

    [LoggerMessage(EventId = 6, Level = LogLevel.Information, Message = "Console channel on: commands on stdin, deliveries on stdout (hands without [output] channel deliver here)")]
    private static partial void LogConsoleOn(ILogger logger);

    [LoggerMessage(EventId = 7, Level = LogLevel.Information, Message = "Console channel on standby ([console] enabled = \"auto\" with a platform token): it comes on if every platform channel fails at start")]
    private static partial void LogConsoleStandby(ILogger logger);

    [LoggerMessage(EventId = 8, Level = LogLevel.Information, Message = "Console channel off ([console] enabled = false)")]
    private static partial void LogConsoleOff(ILogger logger);

    [LoggerMessage(EventId = 9, Level = LogLevel.Warning, Message = "No channel is active: [console] enabled = false and no Telegram or Discord token is set, so nothing is delivered and no command can be given")]
    private static partial void LogNoChannel(ILogger logger);
}
