using HandsBot.Core.Configuration;
using HandsBot.Core.Engine;
using HandsBot.Core.Running;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;

namespace HandsBot.Agents;

public static class AgentsServiceCollectionExtensions
{
    /// <summary>
    /// Registers <see cref="AgentRunner"/> as the <see cref="IAgentRunner"/>. It reads
    /// <see cref="LlmOptions"/> (bound from [llm] by <see cref="AddLlmOptions"/>) and uses the registered
    /// <see cref="IProcessRunner"/> and <see cref="TimeProvider"/>, adding defaults when missing.
    /// </summary>
    public static IServiceCollection AddAgents(this IServiceCollection services)
    {
        ArgumentNullException.ThrowIfNull(services);
        services.AddLlmOptions();
        services.TryAddSingleton(TimeProvider.System);
        services.TryAddSingleton<IProcessRunner>(sp => new ProcessRunner(
            sp.GetRequiredService<TimeProvider>(),
            sp.GetService<ILogger<ProcessRunner>>() ?? NullLogger<ProcessRunner>.Instance));
        services.TryAddSingleton<IAgentRunner>(sp => new AgentRunner(
            sp.GetRequiredService<IOptions<LlmOptions>>(),
            sp.GetRequiredService<IProcessRunner>(),
            sp.GetRequiredService<TimeProvider>(),
            sp.GetService<ILogger<AgentRunner>>() ?? NullLogger<AgentRunner>.Instance));
        return services;
    }

    /// <summary>Binds and validates [llm] from the registered configuration and registers its schema.</summary>
    public static IServiceCollection AddLlmOptions(this IServiceCollection services)
    {
        ArgumentNullException.ThrowIfNull(services);
        services.TryAddSingleton<ISettingOrigins>(UnknownSettingOrigins.Instance);
        services.AddOptions<LlmOptions>().BindConfiguration(LlmOptions.Section).ValidateOnStart();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<LlmOptions>, LlmOptionsValidator>());
        services.AddConfigSchema(ConfigSectionSchema.Table<LlmOptions>(LlmOptions.Section));
        return services;
    }
}
