using System.Diagnostics.CodeAnalysis;
using HandsBot.Agents;
using HandsBot.Core.Configuration;
using HandsBot.Core.Model;
using HandsBot.Discord;
using HandsBot.Telegram;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;

namespace HandsBot.Configuration;

/// <summary>How the console channel runs.</summary>
internal enum ConsoleMode
{
    /// <summary>[console] enabled = true, or "auto" with no platform token.</summary>
    On,
    /// <summary>[console] enabled = false.</summary>
    Off,
    /// <summary>"auto" with a platform token: comes on if every platform channel fails at start.</summary>
    Standby,
}

/// <summary>
/// The options the host composes the bot from, bound and validated the standard way (each project's
/// <c>AddXxxOptions</c>: <c>BindConfiguration</c> + <c>IValidateOptions</c>) before anything starts, so the
/// CLI can print every problem at once and exit 2.
/// </summary>
internal sealed class HandsBotSettings
{
    public required HandsOptions Hands { get; init; }
    public required StorageOptions Storage { get; init; }
    public required SchedulerOptions Scheduler { get; init; }
    public required OutputOptions Output { get; init; }
    public required TelegramOptions Telegram { get; init; }
    public required DiscordOptions Discord { get; init; }
    public required HttpOptions Http { get; init; }
    public required AccessOptions Access { get; init; }
    public required LlmOptions Llm { get; init; }
    public required ConsoleOptions Console { get; init; }
    public required IReadOnlyDictionary<string, ChannelRoute> Channels { get; init; }

    /// <summary>Unknown sections and keys (with the closest known one): worth a look, not fatal.</summary>
    public IReadOnlyList<Diagnostic> Warnings { get; init; } = [];

    public ConsoleMode ConsoleMode => Console.Enabled.ToLowerInvariant() switch
    {
        "true" => ConsoleMode.On,
        "false" => ConsoleMode.Off,
        _ => Telegram.Enabled || Discord.Enabled ? ConsoleMode.Standby : ConsoleMode.On,
    };

    /// <summary>Checks kinds and names against every section's schema, binds, and validates.</summary>
    /// <exception cref="ConfigException">Every problem, one per line, each naming the file and line or the variable.</exception>
    public static HandsBotSettings Load(LoadedConfig config)
    {
        var services = new ServiceCollection();
        services.AddSingleton<IConfiguration>(config.Configuration);
        services.AddHandsBotOptions(config);
        using var provider = services.BuildServiceProvider();

        var checks = ConfigChecker.Check(config.Entries, [.. provider.GetServices<ConfigSectionSchema>()]);
        var warnings = checks.Where(d => !d.IsError).ToList();
        var errors = checks.Where(d => d.IsError).Select(d => d.ToString()).ToList();
        if (errors.Count == 0) errors.AddRange(ValidationFailures(provider));
        if (errors.Count > 0) throw new ConfigException(string.Join(Environment.NewLine, errors.Concat(warnings.Select(w => w.ToString()))));

        return new HandsBotSettings
        {
            Hands = Value<HandsOptions>(provider),
            Storage = Value<StorageOptions>(provider),
            Scheduler = Value<SchedulerOptions>(provider),
            Output = Value<OutputOptions>(provider),
            Telegram = Value<TelegramOptions>(provider),
            Discord = Value<DiscordOptions>(provider),
            Http = Value<HttpOptions>(provider),
            Access = Value<AccessOptions>(provider),
            Llm = Value<LlmOptions>(provider),
            Console = Value<ConsoleOptions>(provider),
            Channels = Value<ChannelsOptions>(provider).Routes,
            Warnings = warnings,
        };
    }

    private static T Value<[DynamicallyAccessedMembers(DynamicallyAccessedMemberTypes.PublicParameterlessConstructor)] T>(IServiceProvider provider) where T : class =>
        provider.GetRequiredService<IOptions<T>>().Value;

    private static IEnumerable<string> ValidationFailures(IServiceProvider provider)
    {
        try
        {
            provider.GetRequiredService<IStartupValidator>().Validate();
            return [];
        }
        catch (OptionsValidationException ex)
        {
            return ex.Failures;
        }
        catch (AggregateException ex)
        {
            return ex.InnerExceptions.SelectMany(e => e is OptionsValidationException v ? v.Failures : [e.Message]);
        }
        catch (InvalidOperationException ex)
        {
            // The schema check catches wrong kinds first; this is the binder's last word if one slips through.
            return [ex.Message];
        }
    }
}

internal static class HandsBotOptionsServiceCollectionExtensions
{
    /// <summary>
    /// Every options section of the bot, bound from the registered configuration and validated with
    /// messages that name the file line or environment variable each setting came from.
    /// </summary>
    public static IServiceCollection AddHandsBotOptions(this IServiceCollection services, LoadedConfig config)
    {
        services.TryAddSingleton<ISettingOrigins>(config);
        services.AddCoreOptions();
        services.AddTelegramOptions();
        services.AddDiscordOptions();
        services.AddLlmOptions();
        services.AddOptions<ConsoleOptions>().BindConfiguration(ConsoleOptions.Section).ValidateOnStart();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<ConsoleOptions>, ConsoleOptionsValidator>());
        services.AddConfigSchema(ConfigSectionSchema.Table<ConsoleOptions>(ConsoleOptions.Section));
        // [logging] belongs to Microsoft.Extensions.Logging, whose keys are open-ended ([logging.loglevel] …).
        services.AddConfigSchema(ConfigSectionSchema.Open("logging"));
        // The console user is an admin; the "console" platform only ever comes from stdin.
        services.PostConfigure<AccessOptions>(o =>
        {
            if (!o.Admins.Contains("console:local")) o.Admins.Add("console:local");
        });
        return services;
    }
}

/// <summary>[console]: the stdin/stdout channel.</summary>
internal sealed class ConsoleOptions
{
    public const string Section = "console";
    /// <summary>"auto" (when no platform token is set, or when every platform fails at start), true or false.</summary>
    [ConfigurationKeyName("enabled")] public string Enabled { get; set; } = "auto";
}

internal sealed class ConsoleOptionsValidator(ISettingOrigins origins) : IValidateOptions<ConsoleOptions>
{
    public ValidateOptionsResult Validate(string? name, ConsoleOptions options)
    {
        var p = new ProblemList(origins);
        p.Check(options.Enabled.ToLowerInvariant() is "auto" or "true" or "false", "console:enabled", $"expected \"auto\", true or false, got \"{options.Enabled}\"");
        return p.Result;
    }
}
