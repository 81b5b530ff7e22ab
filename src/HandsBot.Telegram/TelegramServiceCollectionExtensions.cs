using HandsBot.Core.Configuration;
using HandsBot.Core.Delivery;
using HandsBot.Telegram.Hosting;
using HandsBot.Telegram.Receiving;
using HandsBot.Telegram.Sending;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;

namespace HandsBot.Telegram;

public static class TelegramServiceCollectionExtensions
{
    /// <summary>
    /// Registers the Telegram adapter: <see cref="TelegramChannel"/> as an <see cref="IChannel"/> and the
    /// receiver for <c>[telegram] mode</c> (long polling, or webhook with <see cref="MapTelegramWebhook"/>).
    /// Needs <c>IChatCommandService</c>, <c>ISettingsStore</c> and the options; call only when a token is set.
    /// </summary>
    public static IServiceCollection AddTelegram(this IServiceCollection services)
    {
        services.AddTelegramOptions();
        services.AddOptions<HttpOptions>();
        services.AddOptions<ChannelsOptions>();
        services.AddOptions<OutputOptions>();
        services.AddOptions<TelegramAdapterOptions>();
        services.TryAddSingleton(TimeProvider.System);
        services.TryAddSingleton<ChannelHealth>();
        services.AddSingleton(sp => sp.GetRequiredService<IOptions<TelegramAdapterOptions>>().Value);
        services.AddSingleton<TelegramBot>();
        services.AddSingleton(sp => new SendPacer(sp.GetRequiredService<TelegramAdapterOptions>(), sp.GetRequiredService<TimeProvider>()));
        services.AddSingleton<ChatMembership>();
        services.AddSingleton<TelegramSender>();
        services.AddSingleton(sp => new TelegramChannel(sp.GetRequiredService<TelegramSender>(), sp.GetRequiredService<IOptions<OutputOptions>>())
        {
            DefaultTarget = DefaultTarget(sp.GetRequiredService<IOptions<TelegramOptions>>().Value),
        });
        services.AddSingleton<IChannel>(sp => sp.GetRequiredService<TelegramChannel>());
        services.AddSingleton<TelegramUpdateHandler>();
        services.AddSingleton<TelegramStartup>();
        services.AddSingleton<TelegramWebhookReceiver>();
        services.AddSingleton<IHostedService>(sp => IsWebhookMode(sp.GetRequiredService<IOptions<TelegramOptions>>().Value)
            ? ActivatorUtilities.CreateInstance<TelegramWebhookService>(sp)
            : ActivatorUtilities.CreateInstance<TelegramPollingService>(sp));
        return services;
    }

    /// <summary>
    /// Binds and validates [telegram] (also when no token is set, so `validate` checks it) and registers its
    /// schema. <see cref="AddTelegram"/> calls it.
    /// </summary>
    public static IServiceCollection AddTelegramOptions(this IServiceCollection services)
    {
        services.TryAddSingleton<ISettingOrigins>(UnknownSettingOrigins.Instance);
        services.AddOptions<TelegramOptions>().BindConfiguration(TelegramOptions.Section).ValidateOnStart();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<TelegramOptions>, TelegramOptionsValidator>());
        services.AddConfigSchema(ConfigSectionSchema.Table<TelegramOptions>(TelegramOptions.Section));
        return services;
    }

    /// <summary>Where hands without an [output] channel deliver on Telegram: <c>default_chat</c>, if set.</summary>
    internal static ChannelTarget? DefaultTarget(TelegramOptions options) =>
        string.IsNullOrWhiteSpace(options.DefaultChat) ? null : DeliveryRouter.ParseTelegram(options.DefaultChat);

    /// <summary>
    /// Maps the webhook endpoint (POST at <c>webhook_url</c>'s path, default "/telegram/webhook").
    /// Does nothing in polling mode, so the host may always call it.
    /// </summary>
    public static IEndpointRouteBuilder MapTelegramWebhook(this IEndpointRouteBuilder app)
    {
        var options = app.ServiceProvider.GetRequiredService<IOptions<TelegramOptions>>().Value;
        if (!IsWebhookMode(options)) return app;
        var receiver = app.ServiceProvider.GetRequiredService<TelegramWebhookReceiver>();
        app.MapPost(receiver.Path, receiver.ReceiveAsync);
        return app;
    }

    /// <summary>"webhook" or "polling" (default); anything else is a configuration error.</summary>
    internal static bool IsWebhookMode(TelegramOptions options) => options.Mode.Trim().ToLowerInvariant() switch
    {
        "webhook" => true,
        "polling" or "" => false,
        _ => throw new InvalidOperationException($"[telegram] mode must be \"polling\" or \"webhook\", not \"{options.Mode}\""),
    };
}
