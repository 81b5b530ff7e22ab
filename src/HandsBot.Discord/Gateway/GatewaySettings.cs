namespace HandsBot.Discord.Gateway;

/// <summary>Gateway timings and limits; defaults follow Discord's documentation.</summary>
public sealed class GatewaySettings
{
    /// <summary>First reconnect delay after a failure; doubles per failure up to <see cref="MaxReconnectDelay"/>.</summary>
    public TimeSpan ReconnectDelay { get; set; } = TimeSpan.FromSeconds(1);
    public TimeSpan MaxReconnectDelay { get; set; } = TimeSpan.FromSeconds(60);
    /// <summary>Op 9 (not resumable): wait a random time in this range before identifying anew.</summary>
    public TimeSpan InvalidSessionMinDelay { get; set; } = TimeSpan.FromSeconds(1);
    public TimeSpan InvalidSessionMaxDelay { get; set; } = TimeSpan.FromSeconds(5);
    /// <summary>Discord closes a connection that sends more than 120 payloads in 60 seconds.</summary>
    public int SendsPerWindow { get; set; } = 120;
    public TimeSpan SendWindow { get; set; } = TimeSpan.FromSeconds(60);
    /// <summary>Sends kept free in each window for heartbeats.</summary>
    public int HeartbeatReserve { get; set; } = 5;
}
