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
        services.AddHttpClient(DiscordRestClient.HttpClientName);
        services.TryAddSingleton(TimeProvider.System);
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
        services.TryAddSingleton<DiscordChannel>();
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
}
