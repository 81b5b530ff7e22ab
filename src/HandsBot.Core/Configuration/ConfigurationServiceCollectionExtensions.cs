using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;

namespace HandsBot.Core.Configuration;

public static class ConfigurationServiceCollectionExtensions
{
    /// <summary>
    /// Binds the engine's options ([hands], [storage], [scheduler], [output], [http], [access], [channels.NAME])
    /// from the registered <see cref="IConfiguration"/>, validated at start with messages that name where each
    /// setting was set (<see cref="ISettingOrigins"/>), and registers their schemas for typo and type checks.
    /// </summary>
    public static IServiceCollection AddCoreOptions(this IServiceCollection services)
    {
        ArgumentNullException.ThrowIfNull(services);
        services.TryAddSingleton<ISettingOrigins>(UnknownSettingOrigins.Instance);

        // One line per type: the binding generator intercepts calls with a concrete type only.
        services.AddOptions<HandsOptions>().BindConfiguration(HandsOptions.Section).ValidateOnStart();
        services.AddOptions<StorageOptions>().BindConfiguration(StorageOptions.Section).ValidateOnStart();
        services.AddOptions<SchedulerOptions>().BindConfiguration(SchedulerOptions.Section).ValidateOnStart();
        services.AddOptions<OutputOptions>().BindConfiguration(OutputOptions.Section).ValidateOnStart();
        services.AddOptions<HttpOptions>().BindConfiguration(HttpOptions.Section).ValidateOnStart();
        services.AddOptions<AccessOptions>().BindConfiguration(AccessOptions.Section).ValidateOnStart();
        services.AddOptions<ChannelsOptions>().Configure<IConfiguration>(BindRoutes).ValidateOnStart();

        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<HandsOptions>, HandsOptionsValidator>());
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<StorageOptions>, StorageOptionsValidator>());
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<SchedulerOptions>, SchedulerOptionsValidator>());
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<OutputOptions>, OutputOptionsValidator>());
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<HttpOptions>, HttpOptionsValidator>());
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<AccessOptions>, AccessOptionsValidator>());
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<ChannelsOptions>, ChannelsOptionsValidator>());

        services.AddConfigSchema(ConfigSectionSchema.Table<HandsOptions>(HandsOptions.Section));
        services.AddConfigSchema(ConfigSectionSchema.Table<StorageOptions>(StorageOptions.Section));
        services.AddConfigSchema(ConfigSectionSchema.Table<SchedulerOptions>(SchedulerOptions.Section));
        services.AddConfigSchema(ConfigSectionSchema.Table<OutputOptions>(OutputOptions.Section));
        services.AddConfigSchema(ConfigSectionSchema.Table<HttpOptions>(HttpOptions.Section));
        services.AddConfigSchema(ConfigSectionSchema.Table<AccessOptions>(AccessOptions.Section));
        services.AddConfigSchema(ConfigSectionSchema.Map<ChannelRoute>(ChannelsOptions.Section));
        return services;
    }

    /// <summary>Registers a section's schema once (calling an AddXxx twice must not duplicate it).</summary>
    public static IServiceCollection AddConfigSchema(this IServiceCollection services, ConfigSectionSchema schema)
    {
        ArgumentNullException.ThrowIfNull(services);
        ArgumentNullException.ThrowIfNull(schema);
        if (!services.Any(d => d.ServiceType == typeof(ConfigSectionSchema) && d.ImplementationInstance is ConfigSectionSchema s && s.Name == schema.Name))
        {
            services.AddSingleton(schema);
        }
        return services;
    }

    // [channels.NAME] tables: each child of the section is one route, whatever its name.
    private static void BindRoutes(ChannelsOptions options, IConfiguration configuration)
    {
        foreach (var child in configuration.GetSection(ChannelsOptions.Section).GetChildren())
        {
            var route = new ChannelRoute();
            child.Bind(route);
            options.Routes[child.Key] = route;
        }
    }
}
