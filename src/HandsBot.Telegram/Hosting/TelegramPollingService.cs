using System.Globalization;
using HandsBot.Core.Delivery;
using HandsBot.Core.Storage;
using HandsBot.Telegram.Receiving;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Telegram.Bot;
using Telegram.Bot.Exceptions;
using Telegram.Bot.Types.Enums;

namespace HandsBot.Telegram.Hosting;

/// <summary>
/// Long polling: getUpdates from the stored offset, handle each update in order, then store the next
/// offset, so a crash re-reads only the update being handled and a restart resumes where it left.
/// Errors cool down (doubling) and the loop carries on; it never dies before shutdown.
/// </summary>
internal sealed class TelegramPollingService(
    TelegramStartup startup,
    TelegramBot bot,
    TelegramUpdateHandler handler,
    ISettingsStore settings,
    TelegramAdapterOptions options,
    TimeProvider time,
    ILogger<TelegramPollingService> logger,
    ChannelHealth health) : BackgroundService
{
    internal const string OffsetKey = "telegram:polling_offset";
    internal static readonly UpdateType[] AllowedUpdates = [UpdateType.Message, UpdateType.CallbackQuery, UpdateType.MyChatMember];

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        try
        {
            if (!await startup.StartAsync(stoppingToken).ConfigureAwait(false))
            {
                health.Report(DeliveryRouter.Telegram, ChannelState.Unauthorized, bot.DisabledReason);
                return;
            }
            health.Report(DeliveryRouter.Telegram, ChannelState.Connected);
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            return;
        }
        var cooldown = options.ErrorCooldown;
        int? offset = null;
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                offset ??= await LoadOffsetAsync(stoppingToken).ConfigureAwait(false);
                var updates = await bot.Client.GetUpdates(offset, 100, (int)options.PollTimeout.TotalSeconds, AllowedUpdates, stoppingToken).ConfigureAwait(false);
                cooldown = options.ErrorCooldown;
                foreach (var update in updates)
                {
                    if (update.Id < offset) continue;
                    await handler.HandleAsync(update, stoppingToken).ConfigureAwait(false);
                    offset = update.Id + 1;
                    await settings.SetSettingAsync(OffsetKey, offset.Value.ToString(CultureInfo.InvariantCulture), stoppingToken).ConfigureAwait(false);
                }
            }
            catch (Exception) when (stoppingToken.IsCancellationRequested)
            {
                // Shutdown (Telegram.Bot may wrap the cancellation in a RequestException).
                break;
            }
            catch (ApiRequestException ex) when (ex.ErrorCode == 409)
            {
                logger.LogError(
                    "Telegram refused getUpdates with a conflict ({Description}): another HandsBot (or other program) is polling with this token, or a webhook is set. Retrying in {Cooldown}.",
                    bot.Scrub(ex.Message), cooldown);
                cooldown = await CoolDownAsync(cooldown, stoppingToken).ConfigureAwait(false);
            }
            catch (Exception ex)
            {
                logger.LogWarning("Telegram polling failed ({Error}); retrying in {Cooldown}", bot.Describe(ex), cooldown);
                cooldown = await CoolDownAsync(cooldown, stoppingToken).ConfigureAwait(false);
            }
        }
    }

    private async Task<int?> LoadOffsetAsync(CancellationToken ct)
    {
        var stored = await settings.GetSettingAsync(OffsetKey, ct).ConfigureAwait(false);
        return int.TryParse(stored, NumberStyles.None, CultureInfo.InvariantCulture, out var value) ? value : 0;
    }

    private async Task<TimeSpan> CoolDownAsync(TimeSpan cooldown, CancellationToken ct)
    {
        try
        {
            await Task.Delay(cooldown, time, ct).ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
            // Shutting down: the loop condition ends it.
        }
        return TimeSpan.FromTicks(Math.Min(cooldown.Ticks * 2, options.MaxErrorCooldown.Ticks));
    }
}
