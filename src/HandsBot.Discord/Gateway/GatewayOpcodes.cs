namespace HandsBot.Discord.Gateway;

internal static class GatewayOpcodes
{
    public const int Dispatch = 0;
    public const int Heartbeat = 1;
    public const int Identify = 2;
    public const int Resume = 6;
    public const int Reconnect = 7;
    public const int InvalidSession = 9;
    public const int Hello = 10;
    public const int HeartbeatAck = 11;
}

/// <summary>The gateway stopped for good (bad token, bad intents, ...): retrying cannot help.</summary>
public sealed class DiscordGatewayException : Exception
{
    public DiscordGatewayException() { }
    public DiscordGatewayException(string message) : base(message) { }
    public DiscordGatewayException(string message, Exception inner) : base(message, inner) { }
    public DiscordGatewayException(int closeCode, string message) : base(message) => CloseCode = closeCode;

    public int? CloseCode { get; }

    /// <summary>Close codes after which Discord says not to reconnect, with what they mean.</summary>
    public static string? FatalReason(int closeCode) => closeCode switch
    {
        4004 => "Discord rejected the bot token (4004 authentication failed)",
        4010 => "Discord rejected the shard (4010 invalid shard)",
        4011 => "Discord requires sharding for this bot (4011)",
        4012 => "Discord rejected the gateway API version (4012)",
        4013 => "Discord rejected the gateway intents (4013 invalid intents)",
        4014 => "Discord refused privileged intents (4014 disallowed intents): enable them in the developer portal or remove them",
        _ => null,
    };
}
