using Microsoft.Extensions.Configuration;

namespace HandsBot.Core.Configuration;

// Option classes of the engine, bound from config/handsbot.toml (and HANDSBOT_* environment variables).
// Keys are snake_case in TOML; ConfigurationKeyName maps them to these properties. Each platform's
// options live in its own project (TelegramOptions, DiscordOptions, LlmOptions).

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

public sealed class HttpOptions
{
    public const string Section = "http";
    /// <summary>Listen address for webhooks and the interactions endpoint, e.g. "http://0.0.0.0:8080". Empty = no HTTP server.</summary>
    [ConfigurationKeyName("listen")] public string Listen { get; set; } = "";
    /// <summary>The address people and other services reach this bot at, e.g. "https://bot.example.com" (behind a proxy); used to print webhook URLs. Empty = unknown.</summary>
    [ConfigurationKeyName("public_url")] public string PublicUrl { get; set; } = "";
}

public sealed class AccessOptions
{
    public const string Section = "access";
    [ConfigurationKeyName("admins")] public List<string> Admins { get; set; } = [];
    [ConfigurationKeyName("operators")] public List<string> Operators { get; set; } = [];
    [ConfigurationKeyName("viewers")] public List<string> Viewers { get; set; } = [];
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
