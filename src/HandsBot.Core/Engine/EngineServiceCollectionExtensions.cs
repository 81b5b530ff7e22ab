using HandsBot.Core.Access;
using HandsBot.Core.Chat;
using HandsBot.Core.Delivery;
using HandsBot.Core.Registry;
using HandsBot.Core.Running;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Hosting;

namespace HandsBot.Core.Engine;

public static class EngineServiceCollectionExtensions
{
    /// <summary>
    /// Registers the registry, scheduler, run worker, approvals, outbox and chat command set. Hosted
    /// services start in this order and stop in the reverse: startup (migrate, claim the store, load,
    /// recover), outbox sender, approval clock, run worker, scheduler, folder watcher — so on shutdown the
    /// triggers stop first, running hands get their grace, and only then does the outbox send what they
    /// produced. A store (IHandsStore) and channels (IChannel) are registered elsewhere.
    /// </summary>
    public static IServiceCollection AddHandsBotEngine(this IServiceCollection services, HandRegistrySettings registry, EnginePaths paths, bool scheduling = true)
    {
        services.TryAddSingleton(TimeProvider.System);
        services.AddSingleton(registry);
        services.AddSingleton(paths);
        services.AddSingleton<HandRegistry>();
        services.AddSingleton<ChannelSet>();
        services.AddSingleton<ChannelHealth>();
        services.AddSingleton<IChannel, FileDropChannel>();
        services.AddSingleton<DeliveryRouter>();
        services.AddSingleton<Outbox>();
        services.AddSingleton<OutboxSender>();
        services.AddSingleton<ApprovalService>();
        services.AddSingleton<RunFinisher>();
        services.AddSingleton<Triggers.EventTriggers>();
        services.AddSingleton<CommandHandRunner>();
        services.AddSingleton<AgentHandRunner>();
        services.AddSingleton<RunWorker>();
        services.AddSingleton<RunAdmitter>();
        services.AddSingleton<Scheduler>();
        services.AddSingleton<HandsFolderWatcher>();
        services.TryAddSingleton<IProcessRunner, ProcessRunner>();
        services.AddSingleton<AccessPolicy>();
        services.AddSingleton<HandsEngine>();
        services.AddSingleton<IHandsEngine>(sp => sp.GetRequiredService<HandsEngine>());
        services.AddSingleton<IChatCommandService, ChatCommandService>();

        services.AddSingleton<EngineStartup>();
        services.AddSingleton<StoreHealthMonitor>();
        services.AddHostedService(sp => sp.GetRequiredService<EngineStartup>());
        services.AddHostedService(sp => sp.GetRequiredService<StoreHealthMonitor>());
        services.AddHostedService(sp => sp.GetRequiredService<OutboxSender>());
        services.AddHostedService(sp => sp.GetRequiredService<ApprovalService>());
        services.AddHostedService(sp => sp.GetRequiredService<RunWorker>());
        if (scheduling)
        {
            services.AddHostedService(sp => sp.GetRequiredService<Scheduler>());
            services.AddHostedService(sp => sp.GetRequiredService<HandsFolderWatcher>());
        }
        return services;
    }
}
