using System.Text.RegularExpressions;
using HandsBot.Core.Configuration;
using Microsoft.Extensions.Configuration;

namespace HandsBot.Configuration;

/// <summary>Every options section bound from the configuration, validated with messages that say what to fix.</summary>
internal sealed partial class HandsBotSettings
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
    public required Dictionary<string, ChannelRoute> Channels { get; init; }

    public static HandsBotSettings Bind(IConfiguration config) => new()
    {
        Hands = Section<HandsOptions>(config, HandsOptions.Section),
        Storage = Section<StorageOptions>(config, StorageOptions.Section),
        Scheduler = Section<SchedulerOptions>(config, SchedulerOptions.Section),
        Output = Section<OutputOptions>(config, OutputOptions.Section),
        Telegram = Section<TelegramOptions>(config, TelegramOptions.Section),
        Discord = Section<DiscordOptions>(config, DiscordOptions.Section),
        Http = Section<HttpOptions>(config, HttpOptions.Section),
        Access = Section<AccessOptions>(config, AccessOptions.Section),
        Llm = Section<LlmOptions>(config, LlmOptions.Section),
        Console = Section<ConsoleOptions>(config, ConsoleOptions.Section),
        Channels = new Dictionary<string, ChannelRoute>(
            config.GetSection(ChannelsOptions.Section).Get<Dictionary<string, ChannelRoute>>() ?? [], StringComparer.OrdinalIgnoreCase),
    };

    private static T Section<T>(IConfiguration config, string name) where T : new()
    {
        try
        {
            return config.GetSection(name).Get<T>() ?? new T();
        }
        catch (InvalidOperationException ex)
        {
            // The binder names the key and the value it could not convert.
            throw new ConfigException($"[{name}]: {ex.Message}");
        }
    }

    /// <summary>True when the console channel runs: [console] enabled = "auto" means when no platform is configured.</summary>
    public bool ConsoleEnabled => Console.Enabled.ToLowerInvariant() switch
    {
        "true" => true,
        "false" => false,
        _ => !Telegram.Enabled && !Discord.Enabled,
    };

    /// <summary>Every problem in the configuration, each naming the section and key.</summary>
    public IReadOnlyList<string> Validate()
    {
        var problems = new List<string>();
        void Check(bool ok, string message)
        {
            if (!ok) problems.Add(message);
        }

        Check(!string.IsNullOrWhiteSpace(Hands.Dir), "[hands] dir: must not be empty");
        Check(!string.IsNullOrWhiteSpace(Storage.Path), "[storage] path: must not be empty");
        Check(Scheduler.MaxConcurrentRuns >= 1, $"[scheduler] max_concurrent_runs: must be at least 1, got {Scheduler.MaxConcurrentRuns}");
        Check(Scheduler.ShutdownGraceSeconds >= 0, $"[scheduler] shutdown_grace: must not be negative, got {Scheduler.ShutdownGraceSeconds}");
        Check(Output.MaxParts >= 1, $"[output] max_parts: must be at least 1, got {Output.MaxParts}");
        Check(Console.Enabled.ToLowerInvariant() is "auto" or "true" or "false", $"[console] enabled: expected \"auto\", true or false, got \"{Console.Enabled}\"");

        Check(Uri.TryCreate(Telegram.ApiUrl, UriKind.Absolute, out _), $"[telegram] api_url: not an absolute URL: \"{Telegram.ApiUrl}\"");
        Check(Telegram.Mode is "polling" or "webhook", $"[telegram] mode: expected \"polling\" or \"webhook\", got \"{Telegram.Mode}\"");
        Check(Telegram.DefaultChat.Length == 0 || TelegramChat().IsMatch(Telegram.DefaultChat), $"[telegram] default_chat: expected a chat id like -1001234567890 or \"-1001234567890:42\" for a topic, got \"{Telegram.DefaultChat}\"");
        if (Telegram.Enabled && Telegram.Mode == "webhook")
        {
            Check(Uri.TryCreate(Telegram.WebhookUrl, UriKind.Absolute, out var hook) && hook.Scheme == "https", "[telegram] webhook_url: webhook mode needs the public https URL Telegram should call");
            Check(WebhookSecret().IsMatch(Telegram.WebhookSecret), "[telegram] webhook_secret: webhook mode needs a secret of 1-256 characters A-Z, a-z, 0-9, _ or -");
            Check(Http.Listen.Length > 0, "[http] listen: webhook mode needs an address to listen on, e.g. \"http://0.0.0.0:8080\"");
        }

        Check(Uri.TryCreate(Discord.ApiUrl, UriKind.Absolute, out _), $"[discord] api_url: not an absolute URL: \"{Discord.ApiUrl}\"");
        Check(Discord.DefaultChannel.Length == 0 || Snowflake().IsMatch(Discord.DefaultChannel), $"[discord] default_channel: expected a channel id (digits), got \"{Discord.DefaultChannel}\"");
        Check(Discord.GuildId.Length == 0 || Snowflake().IsMatch(Discord.GuildId), $"[discord] guild_id: expected a server id (digits), got \"{Discord.GuildId}\"");
        if (Discord.Enabled)
        {
            Check(Snowflake().IsMatch(Discord.ApplicationId), "[discord] application_id: required with a Discord token (the Application ID from the Developer Portal)");
        }
        if (Discord.PublicKey.Length > 0)
        {
            Check(PublicKey().IsMatch(Discord.PublicKey), "[discord] public_key: expected the 64 hex characters of the application's public key");
            Check(Http.Listen.Length > 0, "[http] listen: the Discord interactions endpoint (public_key) needs an address to listen on");
        }
        Check(Http.Listen.Length == 0 || Uri.TryCreate(Http.Listen, UriKind.Absolute, out _), $"[http] listen: expected a URL like \"http://0.0.0.0:8080\", got \"{Http.Listen}\"");

        foreach (var (role, list) in new[] { ("admins", Access.Admins), ("operators", Access.Operators), ("viewers", Access.Viewers) })
        {
            foreach (var identity in list)
            {
                Check(Identity().IsMatch(identity), $"[access] {role}: \"{identity}\" is not an identity; use \"telegram:<user id>\", \"discord:<user id>\" or \"discord-role:<role id>\"");
            }
        }
        foreach (var (name, route) in Channels)
        {
            Check(route.Telegram.Length > 0 || route.Discord.Length > 0, $"[channels.{name}]: set telegram = \"<chat id>\" and/or discord = \"<channel id>\"");
            Check(route.Telegram.Length == 0 || TelegramChat().IsMatch(route.Telegram), $"[channels.{name}] telegram: expected a chat id like -1001234567890 or \"-1001234567890:42\" for a topic, got \"{route.Telegram}\"");
            Check(route.Discord.Length == 0 || Snowflake().IsMatch(route.Discord), $"[channels.{name}] discord: expected a channel id (digits), got \"{route.Discord}\"");
        }
        Check(Uri.TryCreate(Llm.Endpoint, UriKind.Absolute, out _), $"[llm] endpoint: not an absolute URL: \"{Llm.Endpoint}\"");
        return problems;
    }

    [GeneratedRegex(@"^(-?\d+|@[A-Za-z0-9_]{5,})(:\d+)?$")]
    private static partial Regex TelegramChat();

    [GeneratedRegex(@"^\d{1,20}$")]
    private static partial Regex Snowflake();

    [GeneratedRegex(@"^[A-Za-z0-9_-]{1,256}$")]
    private static partial Regex WebhookSecret();

    [GeneratedRegex(@"^[0-9a-fA-F]{64}$")]
    private static partial Regex PublicKey();

    [GeneratedRegex(@"^(telegram|discord|discord-role|console):[A-Za-z0-9_-]+$")]
    private static partial Regex Identity();
}

/// <summary>[console]: the stdin/stdout channel.</summary>
internal sealed class ConsoleOptions
{
    public const string Section = "console";
    /// <summary>"auto" (when no platform token is set), true or false.</summary>
    [ConfigurationKeyName("enabled")] public string Enabled { get; set; } = "auto";
}
