namespace HandsBot.Telegram;

/// <summary>
/// Tuning for the Telegram adapter that is not part of config/handsbot.toml: send pacing (Telegram's
/// published limits by default) and polling timings. Tests shrink these so they run in seconds.
/// </summary>
public sealed class TelegramAdapterOptions
{
    /// <summary>Messages allowed per chat in <see cref="ChatWindow"/> (Telegram: about one a second).</summary>
    public int ChatMessages { get; set; } = 1;
    public TimeSpan ChatWindow { get; set; } = TimeSpan.FromSeconds(1);
    /// <summary>Messages allowed per group, supergroup or channel in <see cref="GroupWindow"/> (Telegram: 20 a minute).</summary>
    public int GroupMessages { get; set; } = 20;
    public TimeSpan GroupWindow { get; set; } = TimeSpan.FromMinutes(1);
    /// <summary>Messages allowed across all chats in <see cref="GlobalWindow"/> (Telegram: 30 a second).</summary>
    public int GlobalMessages { get; set; } = 30;
    public TimeSpan GlobalWindow { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>How long one getUpdates call waits for updates (long polling).</summary>
    public TimeSpan PollTimeout { get; set; } = TimeSpan.FromSeconds(30);
    /// <summary>First pause after a failed poll; doubles up to <see cref="MaxErrorCooldown"/>.</summary>
    public TimeSpan ErrorCooldown { get; set; } = TimeSpan.FromSeconds(2);
    public TimeSpan MaxErrorCooldown { get; set; } = TimeSpan.FromMinutes(1);

    /// <summary>In webhook mode, how long shutdown waits to handle updates already acknowledged to Telegram.</summary>
    public TimeSpan ShutdownDrain { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>Attempts for a command reply (not outboxed) before it is given up and logged.</summary>
    public int ReplyAttempts { get; set; } = 5;
}
