using Microsoft.Extensions.Configuration;

namespace HandsBot.Core.Configuration;

// Option classes bound from config/handsbot.toml (and HANDSBOT_* environment variables).
// Keys are snake_case in TOML; ConfigurationKeyName maps them to these properties.

public sealed class HandsOptions
{
    public const string Section = "hands";
    [ConfigurationKeyName("dir")] public string Dir { get; set; } = "hands";
}

public sealed class StorageOptions
{
    public const string Section = "storage";
    [ConfigurationKeyName("path")] public string Path { get; set; } = "data/handsbot.db";
    /// <summary>Seconds a claim on a run or a message lasts without a heartbeat; after a crash, the work is taken over when it ends.</summary>
    [ConfigurationKeyName("lease")] public int LeaseSeconds { get; set; } = 30;
}

public sealed class SchedulerOptions
{
    public const string Section = "scheduler";
    [ConfigurationKeyName("max_concurrent_runs")] public int MaxConcurrentRuns { get; set; } = 4;
    /// <summary>Seconds running hands get to finish on shutdown before they are cancelled.</summary>
    [ConfigurationKeyName("shutdown_grace")] public int ShutdownGraceSeconds { get; set; } = 30;
}

public sealed class OutputOptions
{
    public const string Section = "output";
    /// <summary>Past this many messages an output is sent as a .md file with the first part as the message.</summary>
    [ConfigurationKeyName("max_parts")] public int MaxParts { get; set; } = 4;
    /// <summary>Deliver a /run's result to the chat that asked as well as to the hand's channels.</summary>
    [ConfigurationKeyName("reply_to_invoker")] public bool ReplyToInvoker { get; set; } = true;
    /// <summary>A run's stdout is kept up to this many bytes; the rest is cut with a note.</summary>
    [ConfigurationKeyName("max_output_bytes")] public long MaxOutputBytes { get; set; } = 16L * 1024 * 1024;
}

public sealed class TelegramOptions
{
    public const string Section = "telegram";
    [ConfigurationKeyName("token")] public string Token { get; set; } = "";
    [ConfigurationKeyName("api_url")] public string ApiUrl { get; set; } = "https://api.telegram.org";
    [ConfigurationKeyName("default_chat")] public string DefaultChat { get; set; } = "";
    /// <summary>"polling" (default) or "webhook".</summary>
    [ConfigurationKeyName("mode")] public string Mode { get; set; } = "polling";
    [ConfigurationKeyName("webhook_url")] public string WebhookUrl { get; set; } = "";
    [ConfigurationKeyName("webhook_secret")] public string WebhookSecret { get; set; } = "";

    public bool Enabled => !string.IsNullOrWhiteSpace(Token);
}

public sealed class DiscordOptions
{
    public const string Section = "discord";
    [ConfigurationKeyName("token")] public string Token { get; set; } = "";
    [ConfigurationKeyName("application_id")] public string ApplicationId { get; set; } = "";
    [ConfigurationKeyName("api_url")] public string ApiUrl { get; set; } = "https://discord.com/api/v10";
    [ConfigurationKeyName("default_channel")] public string DefaultChannel { get; set; } = "";
    /// <summary>Register commands to this guild only (instant updates) instead of globally.</summary>
    [ConfigurationKeyName("guild_id")] public string GuildId { get; set; } = "";
    /// <summary>Set to serve the HTTP interactions endpoint (Ed25519-verified) instead of only the gateway.</summary>
    [ConfigurationKeyName("public_key")] public string PublicKey { get; set; } = "";

    public bool Enabled => !string.IsNullOrWhiteSpace(Token);
}

public sealed class HttpOptions
{
    public const string Section = "http";
    /// <summary>Listen address for webhooks and the interactions endpoint, e.g. "http://0.0.0.0:8080". Empty = no HTTP server.</summary>
    [ConfigurationKeyName("listen")] public string Listen { get; set; } = "";
}

public sealed class AccessOptions
{
    public const string Section = "access";
    [ConfigurationKeyName("admins")] public List<string> Admins { get; set; } = [];
    [ConfigurationKeyName("operators")] public List<string> Operators { get; set; } = [];
    [ConfigurationKeyName("viewers")] public List<string> Viewers { get; set; } = [];
}

public sealed class LlmOptions
{
    public const string Section = "llm";
    [ConfigurationKeyName("endpoint")] public string Endpoint { get; set; } = "http://localhost:11434/v1";
    [ConfigurationKeyName("api_key")] public string ApiKey { get; set; } = "";
    /// <summary>Shared tools folder (besides each hand's tools/).</summary>
    [ConfigurationKeyName("tools_dir")] public string ToolsDir { get; set; } = "";
}

/// <summary>A named route from [channels.NAME]: where on each platform it delivers.</summary>
public sealed class ChannelRoute
{
    /// <summary>Chat id, or "chat_id:topic_id" for a forum topic.</summary>
    [ConfigurationKeyName("telegram")] public string Telegram { get; set; } = "";
    [ConfigurationKeyName("discord")] public string Discord { get; set; } = "";
}

public sealed class ChannelsOptions
{
    public const string Section = "channels";
    public Dictionary<string, ChannelRoute> Routes { get; set; } = new(StringComparer.OrdinalIgnoreCase);
}
