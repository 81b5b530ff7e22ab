namespace HandsBot.Discord.Interactions;

/// <summary>Timing of interaction answers.</summary>
public sealed class InteractionSettings
{
    /// <summary>
    /// How long to wait for the answer before deferring. Discord allows 3 s for the first response;
    /// the rest is headroom for the network.
    /// </summary>
    public TimeSpan AckDeadline { get; set; } = TimeSpan.FromSeconds(2);
}
