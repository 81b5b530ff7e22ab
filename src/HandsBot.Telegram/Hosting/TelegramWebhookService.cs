using HandsBot.Core.Configuration;
using HandsBot.Core.Delivery;
using HandsBot.Telegram.Receiving;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Telegram.Bot;

namespace HandsBot.Telegram.Hosting;

/// <summary>
/// Webhook mode: registers <c>[telegram] webhook_url</c> with its secret via setWebhook (retrying until
/// Telegram accepts), then handles the updates the endpoint queued, in arrival order.
/// </summary>
internal sealed class TelegramWebhookService(
    TelegramStartup startup,
    TelegramBot bot,
    TelegramWebhookReceiver receiver,
    TelegramUpdateHandler handler,
    IOptions<TelegramOptions> telegram,
    IOptions<HttpOptions> http,
    TelegramAdapterOptions options,
    TimeProvider time,
    ILogger<TelegramWebhookService> logger,
    ChannelHealth health) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        try
        {
            if (!await StartReceivingAsync(stoppingToken).ConfigureAwait(false))
            {
                // Nothing will handle updates: the endpoint must not acknowledge them (503 → Telegram keeps them).
                receiver.Close();
                if (!stoppingToken.IsCancellationRequested)
                {
                    health.Report(DeliveryRouter.Telegram, bot.DisabledReason is null ? ChannelState.Failed : ChannelState.Unauthorized, bot.DisabledReason ?? "the webhook could not be set up");
                }
                return;
            }
            health.Report(DeliveryRouter.Telegram, ChannelState.Connected);
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            receiver.Close();
            return;
        }
        await HandleUpdatesAsync(stoppingToken).ConfigureAwait(false);
    }

    private async Task<bool> StartReceivingAsync(CancellationToken stoppingToken)
    {
        var url = telegram.Value.WebhookUrl;
        if (!Uri.TryCreate(url, UriKind.Absolute, out var uri) || uri.Scheme != Uri.UriSchemeHttps && uri.Scheme != Uri.UriSchemeHttp)
        {
            logger.LogError("[telegram] mode = \"webhook\" needs webhook_url set to the public https URL of this bot's endpoint (got \"{Url}\"); Telegram updates are off", url);
            return false;
        }
        if (string.IsNullOrWhiteSpace(http.Value.Listen))
        {
            logger.LogError("[telegram] mode = \"webhook\" needs [http] listen so the endpoint {Path} is served; Telegram updates are off", receiver.Path);
            return false;
        }
        return await startup.StartAsync(stoppingToken).ConfigureAwait(false) && await SetWebhookAsync(url, stoppingToken).ConfigureAwait(false);
    }

    private async Task HandleUpdatesAsync(CancellationToken stoppingToken)
    {
        // On shutdown the endpoint stops acknowledging (503, so Telegram redelivers later) and the
        // updates already acknowledged are still handled, within ShutdownDrain.
        using var handling = new CancellationTokenSource();
        await using var onStop = stoppingToken.Register(() =>
        {
            receiver.Close();
            handling.CancelAfter(options.ShutdownDrain);
        });
        try
        {
            await foreach (var update in receiver.Updates.ReadAllAsync(CancellationToken.None).ConfigureAwait(false))
            {
                await handler.HandleAsync(update, handling.Token).ConfigureAwait(false);
            }
        }
        catch (OperationCanceledException) when (handling.IsCancellationRequested)
        {
            var left = receiver.Updates.CanCount ? receiver.Updates.Count : 0;
            logger.LogError("Telegram webhook: shutdown came before {Count} acknowledged update(s) were handled", left + 1);
        }
    }

    private async Task<bool> SetWebhookAsync(string url, CancellationToken ct)
    {
        var cooldown = options.ErrorCooldown;
        while (!ct.IsCancellationRequested)
        {
            try
            {
                await bot.Client.SetWebhook(url, allowedUpdates: TelegramPollingService.AllowedUpdates, secretToken: receiver.Secret, cancellationToken: ct).ConfigureAwait(false);
                logger.LogInformation("Telegram webhook set to {Url}; listening on {Path}", url, receiver.Path);
                return true;
            }
            catch (Exception ex) when (!ct.IsCancellationRequested)
            {
                logger.LogError("Telegram setWebhook failed ({Error}); retrying in {Cooldown}", bot.Describe(ex), cooldown);
                try
                {
                    await Task.Delay(cooldown, time, ct).ConfigureAwait(false);
                }
                catch (OperationCanceledException)
                {
                    return false;
                }
                cooldown = TimeSpan.FromTicks(Math.Min(cooldown.Ticks * 2, options.MaxErrorCooldown.Ticks));
            }
        }
        return false;
    }
}
