using HandsBot.Core.Configuration;
using HandsBot.Core.Delivery;
using HandsBot.Discord.Interactions;
using HandsBot.Discord.Rest;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace HandsBot.Discord.Gateway;

/// <summary>Registers the slash commands (when changed) and keeps the gateway session running.</summary>
public sealed partial class DiscordGatewayService(
    DiscordGatewayClient gateway,
    DiscordCommandRegistrar registrar,
    IOptions<DiscordOptions> options,
    ILogger<DiscordGatewayService> logger,
    ChannelHealth health,
    ISettingOrigins? origins = null) : BackgroundService
{
    /// <summary>Points at where the token was set: the config file's line or the environment variable.</summary>
    private string WithTokenAdvice(string reason) =>
        $"{reason}; check {(origins ?? UnknownSettingOrigins.Instance).Describe("discord:token")}";

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        if (!options.Value.Enabled) return;
        var tokenRejected = false;
        try
        {
            await registrar.RegisterAsync(stoppingToken).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is DiscordApiException or InvalidOperationException)
        {
            // Commands may still be registered from an earlier run; the gateway is still useful.
            tokenRejected = ex is DiscordApiException { Response.StatusCode: 401 };
            LogRegistrationFailed(logger, ex.Message);
        }
        void Connected(string _) => health.Report(DeliveryRouter.Discord, ChannelState.Connected);
        gateway.SessionStarted += Connected;
        try
        {
            await gateway.RunAsync(stoppingToken).ConfigureAwait(false);
        }
        catch (DiscordGatewayException ex)
        {
            // Fatal for Discord only: the rest of HandsBot (scheduling, Telegram) keeps running.
            var unauthorized = tokenRejected || ex.CloseCode == 4004;
            var reason = unauthorized ? WithTokenAdvice(ex.Message) : ex.Message;
            LogStopped(logger, reason);
            health.Report(DeliveryRouter.Discord, unauthorized ? ChannelState.Unauthorized : ChannelState.Failed, reason);
        }
        catch (DiscordApiException ex)
        {
            var unauthorized = ex.Response.StatusCode == 401;
            var reason = unauthorized ? WithTokenAdvice(ex.Message) : ex.Message;
            LogStopped(logger, reason);
            health.Report(DeliveryRouter.Discord, unauthorized ? ChannelState.Unauthorized : ChannelState.Failed, reason);
        }
        finally
        {
            gateway.SessionStarted -= Connected;
        }
    }

    [LoggerMessage(Level = LogLevel.Error, Message = "Discord slash command registration failed: {Reason}")]
    private static partial void LogRegistrationFailed(ILogger logger, string reason);

    [LoggerMessage(Level = LogLevel.Critical, Message = "Discord gateway stopped: {Reason}")]
    private static partial void LogStopped(ILogger logger, string reason);
}
