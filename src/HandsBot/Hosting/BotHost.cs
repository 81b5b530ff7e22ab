using HandsBot.Cli;
using HandsBot.Configuration;
using HandsBot.ConsoleChannel;
using HandsBot.Core.Delivery;
using HandsBot.Core.Engine;
using HandsBot.Core.Manifest;
using HandsBot.Core.Registry;
using HandsBot.Core.Storage;
using HandsBot.Agents;
using HandsBot.Discord;
using HandsBot.Storage.Sqlite;
using HandsBot.Telegram;
using HandsBot.Webhooks;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace HandsBot.Hosting;

/// <summary>Composes the whole bot: options, store, engine, channels, and the HTTP endpoints when [http] listen is set.</summary>
internal static class BotHost
{
    /// <summary>What to run: the full bot, or only the engine to run one hand (`handsbot run`).</summary>
    public enum Mode { Serve, RunOnce }

    public static WebApplication Build(LoadedConfig config, HandsBotSettings settings, Mode mode, ConsoleIO? console = null, Action<IServiceCollection>? configure = null)
    {
        var builder = WebApplication.CreateEmptyBuilder(new WebApplicationOptions { ContentRootPath = config.BaseDirectory });
        builder.Configuration.AddConfiguration(config.Configuration);
        ConfigureLogging(builder.Logging, config.Configuration, mode == Mode.Serve ? LogLevel.Information : LogLevel.Warning);

        var services = builder.Services;
        services.AddHandsBotOptions(config);
        // Running hands get [scheduler] shutdown_grace to finish; the host must wait at least that long.
        services.Configure<HostOptions>(o => o.ShutdownTimeout = TimeSpan.FromSeconds(settings.Scheduler.ShutdownGraceSeconds + 15));
        services.AddSingleton(config);
        services.AddSingleton(settings);
        if (mode == Mode.Serve)
        {
            services.AddSingleton<StartupReport>();
            services.AddHostedService(sp => sp.GetRequiredService<StartupReport>());
        }

        var dbPath = config.Resolve(settings.Storage.Path);
        services.AddSqliteStore(dbPath);
        services.AddHandsBotEngine(RegistrySettings(config, settings), new EnginePaths(config.BaseDirectory, Path.GetDirectoryName(dbPath)!), scheduling: mode == Mode.Serve);
        services.AddAgents();

        var http = settings.Http.Listen.Length > 0 && mode == Mode.Serve;
        if (http)
        {
            builder.WebHost.UseKestrelCore().UseUrls(settings.Http.Listen);
            services.AddRoutingCore();
            services.AddWebhooks();
        }
        else
        {
            services.AddSingleton<IServer, NoServer>();
        }

        if (mode == Mode.Serve)
        {
            if (settings.ConsoleMode != ConsoleMode.Off)
            {
                // On standby the console is a channel without a default target and reads nothing until
                // ConsoleFallback switches it on (every platform channel failed at start).
                var on = settings.ConsoleMode == ConsoleMode.On;
                services.AddSingleton(console ?? ConsoleIO.Standard());
                services.AddSingleton(sp => new ConsoleChannelAdapter(sp.GetRequiredService<ConsoleIO>(), sp.GetRequiredService<TimeProvider>(), active: on));
                services.AddSingleton<IChannel>(sp => sp.GetRequiredService<ConsoleChannelAdapter>());
                services.AddHostedService<ConsoleCommandReader>();
                if (!on) services.AddHostedService<ConsoleFallback>();
            }
            if (settings.Telegram.Enabled) services.AddTelegram();
            if (settings.Discord.Enabled) services.AddDiscord();
        }
        configure?.Invoke(services);

        var app = builder.Build();
        if (http)
        {
            app.UseRouting();
            app.MapHandWebhooks();
            if (settings.Telegram.Enabled && settings.Telegram.Mode == "webhook") app.MapTelegramWebhook();
            if (settings.Discord.Enabled && settings.Discord.PublicKey.Length > 0) app.MapDiscordInteractions();
        }
        return app;
    }

    /// <summary>
    /// The engine without its loops, for one-shot commands (`list`, `run`): the store is migrated and the
    /// hands loaded, but nothing is scheduled, delivered or recovered (a running `serve` owns that).
    /// </summary>
    public static async Task<WebApplication> OpenEngineAsync(LoadedConfig config, HandsBotSettings settings, CancellationToken ct)
    {
        StartupChecks.RequireHandsFolder(config, settings);
        var app = Build(config, settings, Mode.RunOnce);
        try
        {
            var database = config.Resolve(settings.Storage.Path);
            await StartupChecks.OpenStoreAsync(app.Services, database, ct).ConfigureAwait(false);
            await StartupChecks.LoadHandsAsync(app.Services, database, ct).ConfigureAwait(false);
            return app;
        }
        catch
        {
            await app.DisposeAsync().ConfigureAwait(false);
            throw;
        }
    }

    public static HandRegistrySettings RegistrySettings(LoadedConfig config, HandsBotSettings settings) => new(
        config.Resolve(settings.Hands.Dir),
        new HandLoadContext
        {
            ChannelNames = new HashSet<string>(settings.Channels.Keys, StringComparer.OrdinalIgnoreCase),
            SharedToolsDir = settings.Llm.ToolsDir.Length > 0 ? config.Resolve(settings.Llm.ToolsDir) : null,
            DisplayRoot = config.BaseDirectory,
        });

    private static void ConfigureLogging(ILoggingBuilder logging, IConfiguration config, LogLevel minimum)
    {
        logging.AddConfiguration(config.GetSection("logging"));
        // Logs go to stderr so stdout carries only the console channel's messages.
        logging.AddSimpleConsole(o =>
        {
            o.SingleLine = true;
            o.TimestampFormat = "HH:mm:ss ";
        });
        logging.Services.Configure<Microsoft.Extensions.Logging.Console.ConsoleLoggerOptions>(o => o.LogToStandardErrorThreshold = LogLevel.Trace);
        logging.SetMinimumLevel(minimum);
        // HttpClient logs request URLs, and Telegram's URLs contain the bot token: keep them out.
        logging.AddFilter("System.Net.Http.HttpClient", LogLevel.Warning);
        logging.AddFilter("Microsoft.AspNetCore", LogLevel.Warning);
        logging.AddFilter("Microsoft.Hosting.Lifetime", LogLevel.Warning);
    }
}
