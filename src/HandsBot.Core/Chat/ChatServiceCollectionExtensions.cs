using HandsBot.Core.Access;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace HandsBot.Core.Chat;

public static class ChatServiceCollectionExtensions
{
    /// <summary>
    /// Registers <see cref="AccessPolicy"/> and <see cref="ChatCommandService"/> as <see cref="IChatCommandService"/>
    /// (singletons), and <see cref="TimeProvider.System"/> unless a TimeProvider is already registered.
    /// Needs an <c>IHandsEngine</c>, an <c>IAuditStore</c> and the access, channels, telegram, discord and output options.
    /// </summary>
    public static IServiceCollection AddChatCommands(this IServiceCollection services)
    {
        ArgumentNullException.ThrowIfNull(services);
        services.AddOptions();
        services.TryAddSingleton(TimeProvider.System);
        services.TryAddSingleton<AccessPolicy>();
        services.TryAddSingleton<IChatCommandService, ChatCommandService>();
        return services;
    }
}
