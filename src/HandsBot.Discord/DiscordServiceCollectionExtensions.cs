using HandsBot.Core.Configuration;
using HandsBot.Core.Delivery;
using HandsBot.Discord.Delivery;
using HandsBot.Discord.Gateway;
using HandsBot.Discord.Interactions;
using HandsBot.Discord.Rest;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace HandsBot.Discord;

public static class DiscordServiceCollectionExtensions
{
    /// <summary>
    /// Registers the Discord REST client, <see cref="DiscordChannel"/> as an <see cref="IChannel"/>,
    /// the interaction handler, the command registrar, the gateway background service and (used
    /// by <c>MapDiscordInteractions</c>) the signature verifier. Needs IChatCommandService,
    /// ISettingsStore and the bound DiscordOptions from the host.
    /// </summary>
    public static IServiceCollection AddDiscord(this IServiceCollection services)
    {
        services.AddDiscordOptions();
        services.AddHttpClient(DiscordRestClient.HttpClientName);
        services.TryAddSingleton(TimeProvider.System);
        services.TryAddSingleton<ChannelHealth>();
        services.TryAddSingleton<RateLimitSettings>();
        services.TryAddSingleton<GatewaySettings>();
        services.TryAddSingleton<InteractionSettings>();
        services.TryAddSingleton<IGatewayTransportFactory, WebSocketGatewayTransportFactory>();
        services.TryAddSingleton(sp => new DiscordRestClient(
            sp.GetRequiredService<IHttpClientFactory>().CreateClient(DiscordRestClient.HttpClientName),
            sp.GetRequiredService<IOptions<DiscordOptions>>(),
            sp.GetRequiredService<TimeProvider>(),
            sp.GetRequiredService<ILogger<DiscordRestClient>>(),
            sp.GetRequiredService<RateLimitSettings>()));
        services.TryAddSingleton(sp => new DiscordChannel(sp.GetRequiredService<DiscordRestClient>(), sp.GetRequiredService<IOptions<OutputOptions>>())
        {
            DefaultTarget = DefaultTarget(sp.GetRequiredService<IOptions<DiscordOptions>>().Value),
        });
        services.AddSingleton<IChannel>(sp => sp.GetRequiredService<DiscordChannel>());
        services.TryAddSingleton<DiscordInteractionHandler>();
        services.TryAddSingleton<DiscordCommandRegistrar>();
        services.TryAddSingleton(sp => new DiscordSignatureVerifier(sp.GetRequiredService<IOptions<DiscordOptions>>().Value.PublicKey));
        services.TryAddSingleton(sp =>
        {
            var handler = sp.GetRequiredService<DiscordInteractionHandler>();
            return new DiscordGatewayClient(
                sp.GetRequiredService<DiscordRestClient>(),
                sp.GetRequiredService<IGatewayTransportFactory>(),
                sp.GetRequiredService<IOptions<DiscordOptions>>(),
                sp.GetRequiredService<TimeProvider>(),
                sp.GetRequiredService<ILogger<DiscordGatewayClient>>(),
                handler.HandleGatewayAsync,
                sp.GetRequiredService<GatewaySettings>());
        });
        services.AddHostedService<DiscordGatewayService>();
        return services;
    }

    /// <summary>
    /// Binds and validates [discord] (also when no token is set, so `validate` and `invite` check it) and
    /// registers its schema. <see cref="AddDiscord"/> calls it.
    /// </summary>
    public static IServiceCollection AddDiscordOptions(this IServiceCollection services)
    {
        services.TryAddSingleton<ISettingOrigins>(UnknownSettingOrigins.Instance);
        services.AddOptions<DiscordOptions>().BindConfiguration(DiscordOptions.Section).ValidateOnStart();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<DiscordOptions>, DiscordOptionsValidator>());
        services.AddConfigSchema(ConfigSectionSchema.Table<DiscordOptions>(DiscordOptions.Section));
        return services;
    }

    /// <summary>Where hands without an [output] channel deliver on Discord: <c>default_channel</c>, if set.</summary>
    internal static ChannelTarget? DefaultTarget(DiscordOptions options) =>
        string.IsNullOrWhiteSpace(options.DefaultChannel) ? null : new ChannelTarget(DeliveryRouter.Discord, options.DefaultChannel.Trim());
}
