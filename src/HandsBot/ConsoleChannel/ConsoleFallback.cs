using HandsBot.Core.Delivery;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace HandsBot.ConsoleChannel;

/// <summary>
/// With [console] enabled = "auto" and a platform token set, the console waits on standby. When every
/// platform channel has failed at start (a wrong token, a webhook that cannot be set), it comes on and
/// says why, so the user is never left with no way to talk to the bot.
/// </summary>
internal sealed partial class ConsoleFallback(ChannelHealth health, ChannelSet channels, ConsoleChannelAdapter console, ILogger<ConsoleFallback> logger) : IHostedService
{
    public Task StartAsync(CancellationToken cancellationToken)
    {
        // Subscribe first, then look: a report that came before the subscription is seen by the look.
        health.Changed += OnChanged;
        Check();
        return Task.CompletedTask;
    }

    public Task StopAsync(CancellationToken cancellationToken)
    {
        health.Changed -= OnChanged;
        return Task.CompletedTask;
    }

    private void OnChanged(ChannelStatus status) => Check();

    private void Check()
    {
        if (console.IsActive) return;
        var platforms = channels.ChatPlatforms.Where(p => !string.Equals(p, DeliveryRouter.Console, StringComparison.OrdinalIgnoreCase)).ToList();
        if (platforms.Count == 0) return;
        var states = platforms.Select(health.Get).ToList();
        if (states.Any(s => s is not { State: ChannelState.Unauthorized or ChannelState.Failed })) return;
        var why = string.Join("; ", states.Select(s => $"{s!.Platform}: {s.Detail ?? s.State.ToString().ToLowerInvariant()}"));
        if (console.Activate($"every platform channel failed at start ({why})")) LogConsoleOn(logger, why);
    }

    [LoggerMessage(EventId = 20, Level = LogLevel.Warning, Message = "Console channel on: every platform channel failed at start ({Why}); type commands on stdin ([console] enabled = \"auto\")")]
    private static partial void LogConsoleOn(ILogger logger, string why);
}
