using System.Collections.Concurrent;
using System.Globalization;
using System.Text;
using HandsBot.Core.Delivery;
using Microsoft.Extensions.Logging;
using Telegram.Bot;
using Telegram.Bot.Exceptions;
using Telegram.Bot.Types;
using Telegram.Bot.Types.Enums;
using Telegram.Bot.Types.ReplyMarkups;

namespace HandsBot.Telegram.Sending;

/// <summary>
/// Sends and edits messages: one at a time per chat (order kept), paced before Telegram would refuse,
/// with a plain-text retry when the HTML is rejected, and every failure mapped to a <see cref="SendResult"/>.
/// </summary>
internal sealed class TelegramSender(TelegramBot bot, SendPacer pacer, ChatMembership membership, ILogger<TelegramSender> logger)
{
    /// <summary>Telegram's limit on callback_data.</summary>
    public const int MaxCallbackDataBytes = 64;
    private static readonly LinkPreviewOptions NoPreview = new() { IsDisabled = true };
    private static readonly TimeSpan DisabledRetry = TimeSpan.FromMinutes(5);
    private readonly ConcurrentDictionary<string, SemaphoreSlim> _chatLocks = new(StringComparer.Ordinal);

    public async Task<SendResult> SendAsync(TelegramTarget target, OutboundPart part, int? replyTo, CancellationToken ct)
    {
        var refused = await RefuseAsync(target, part, ct).ConfigureAwait(false);
        if (refused is not null) return refused;
        var gate = _chatLocks.GetOrAdd(target.ChatId, _ => new SemaphoreSlim(1, 1));
        await gate.WaitAsync(ct).ConfigureAwait(false);
        try
        {
            await pacer.WaitAsync(target.ChatId, ct).ConfigureAwait(false);
            try
            {
                return SendResult.Delivered(await SendOnceAsync(target, part, part.Text, ParseMode.Html, replyTo, ct).ConfigureAwait(false));
            }
            catch (ApiRequestException ex) when (IsParseError(ex))
            {
                logger.LogError("Renderer bug: Telegram could not parse the HTML for {Target} ({Description}); sending as plain text", target, ex.Message);
                await pacer.WaitAsync(target.ChatId, ct).ConfigureAwait(false);
                return SendResult.Delivered(await SendOnceAsync(target, part, part.PlainText ?? part.Text, ParseMode.None, replyTo, ct).ConfigureAwait(false));
            }
        }
        catch (Exception ex) when (!ct.IsCancellationRequested && IsSendFailure(ex))
        {
            return await FailAsync(target, ex, ct).ConfigureAwait(false);
        }
        finally
        {
            gate.Release();
        }
    }

    public async Task<SendResult> EditAsync(TelegramTarget target, string messageId, OutboundPart part, CancellationToken ct)
    {
        if (!int.TryParse(messageId, NumberStyles.None, CultureInfo.InvariantCulture, out var id))
        {
            return SendResult.Permanent($"'{messageId}' is not a Telegram message id");
        }
        var refused = await RefuseAsync(target, part, ct).ConfigureAwait(false);
        if (refused is not null) return refused;
        var gate = _chatLocks.GetOrAdd(target.ChatId, _ => new SemaphoreSlim(1, 1));
        await gate.WaitAsync(ct).ConfigureAwait(false);
        try
        {
            await pacer.WaitAsync(target.ChatId, ct).ConfigureAwait(false);
            try
            {
                await EditOnceAsync(target, id, part.Text, ParseMode.Html, part, ct).ConfigureAwait(false);
            }
            catch (ApiRequestException ex) when (IsParseError(ex))
            {
                logger.LogError("Renderer bug: Telegram could not parse the HTML for an edit in {Target} ({Description}); editing as plain text", target, ex.Message);
                await pacer.WaitAsync(target.ChatId, ct).ConfigureAwait(false);
                await EditOnceAsync(target, id, part.PlainText ?? part.Text, ParseMode.None, part, ct).ConfigureAwait(false);
            }
            return SendResult.Delivered(messageId);
        }
        catch (ApiRequestException ex) when (ex.Message.Contains("message is not modified", StringComparison.OrdinalIgnoreCase))
        {
            return SendResult.Delivered(messageId);
        }
        catch (Exception ex) when (!ct.IsCancellationRequested && IsSendFailure(ex))
        {
            return await FailAsync(target, ex, ct).ConfigureAwait(false);
        }
        finally
        {
            gate.Release();
        }
    }

    /// <summary>Answers a button tap (the toast). Failures are logged, never thrown: a tap's answer is best effort.</summary>
    public async Task AnswerCallbackAsync(string callbackQueryId, string? toast, CancellationToken ct)
    {
        try
        {
            await bot.Client.AnswerCallbackQuery(callbackQueryId, toast, cancellationToken: ct).ConfigureAwait(false);
        }
        catch (Exception ex) when (!ct.IsCancellationRequested && IsSendFailure(ex))
        {
            logger.LogWarning("Telegram answerCallbackQuery failed: {Error}", bot.Describe(ex));
        }
    }

    internal static InlineKeyboardMarkup? Keyboard(IReadOnlyList<IReadOnlyList<ChatButton>> rows) =>
        rows.Count == 0 || rows.All(r => r.Count == 0)
            ? null
            : new InlineKeyboardMarkup(rows.Where(r => r.Count > 0).Select(r => r.Select(Button)));

    private static InlineKeyboardButton Button(ChatButton button)
    {
        var key = InlineKeyboardButton.WithCallbackData(button.Label, button.Id);
        // Secondary keeps Telegram's own look; the others map to its coloured styles.
        key.Style = button.Style switch
        {
            ButtonStyle.Primary => KeyboardButtonStyle.Primary,
            ButtonStyle.Success => KeyboardButtonStyle.Success,
            ButtonStyle.Danger => KeyboardButtonStyle.Danger,
            _ => null,
        };
        return key;
    }

    private async Task<string> SendOnceAsync(TelegramTarget target, OutboundPart part, string text, ParseMode mode, int? replyTo, CancellationToken ct)
    {
        var reply = replyTo is { } r ? new ReplyParameters { MessageId = r, AllowSendingWithoutReply = true } : null;
        var keyboard = Keyboard(part.Buttons);
        Message sent;
        if (part.Kind == PartKind.File)
        {
            var bytes = Encoding.UTF8.GetBytes(part.FileContent ?? "");
            await using var stream = new MemoryStream(bytes);
            var caption = string.IsNullOrWhiteSpace(text) ? null : text;
            sent = await bot.Client.SendDocument(target.Chat, InputFile.FromStream(stream, part.FileName ?? "output.md"), caption,
                caption is null ? ParseMode.None : mode, reply, keyboard, messageThreadId: target.TopicId, cancellationToken: ct).ConfigureAwait(false);
        }
        else
        {
            sent = await bot.Client.SendMessage(target.Chat, text, mode, reply, keyboard, NoPreview, target.TopicId, cancellationToken: ct).ConfigureAwait(false);
        }
        return sent.Id.ToString(CultureInfo.InvariantCulture);
    }

    private Task EditOnceAsync(TelegramTarget target, int messageId, string text, ParseMode mode, OutboundPart part, CancellationToken ct) =>
        // No reply_markup removes the inline keyboard, which is what an edit without buttons means.
        bot.Client.EditMessageText(target.Chat, messageId, text, mode, Keyboard(part.Buttons), NoPreview, cancellationToken: ct);

    private async Task<SendResult?> RefuseAsync(TelegramTarget target, OutboundPart part, CancellationToken ct)
    {
        if (bot.DisabledReason is { } disabled) return SendResult.Transient(disabled, DisabledRetry);
        if (await membership.RemovedReasonAsync(target.ChatId, ct).ConfigureAwait(false) is { } removed)
        {
            return SendResult.Permanent($"bot was removed from the chat {target.ChatId} ({removed})");
        }
        var tooLong = part.Buttons.SelectMany(r => r).FirstOrDefault(b => Encoding.UTF8.GetByteCount(b.Id) > MaxCallbackDataBytes);
        return tooLong is null ? null : SendResult.Permanent($"button '{tooLong.Label}' has an id longer than {MaxCallbackDataBytes} bytes");
    }

    private async Task<SendResult> FailAsync(TelegramTarget target, Exception ex, CancellationToken ct)
    {
        var error = bot.Describe(ex);
        switch (ex)
        {
            case ApiRequestException { ErrorCode: 429 } api:
                var wait = TimeSpan.FromSeconds(Math.Max(1, api.Parameters?.RetryAfter ?? 1));
                pacer.Block(target.ChatId, wait);
                logger.LogWarning("Telegram rate limit for {Target}: retry after {RetryAfter}", target, wait);
                return SendResult.Transient($"rate limited by Telegram: {bot.Scrub(api.Message)}", wait);
            case ApiRequestException { ErrorCode: >= 500 }:
                logger.LogWarning("Telegram server error for {Target}: {Error}", target, error);
                return SendResult.Transient(error);
            case ApiRequestException { ErrorCode: 401 }:
                logger.LogError("Telegram rejected the bot token while sending to {Target}", target);
                return SendResult.Transient("Telegram rejected the bot token", DisabledRetry);
            case ApiRequestException { Parameters.MigrateToChatId: { } newId } api:
                logger.LogWarning("Telegram chat {Target} became a supergroup with id {NewChatId}; routes must be updated", target, newId);
                return SendResult.Permanent($"{bot.Scrub(api.Message)}: its new chat id is {newId}; update the [channels] entry that says \"{target.ChatId}\"");
            case ApiRequestException { ErrorCode: 403 } api when IsRemoval(api.Message):
                await membership.MarkRemovedAsync(target.ChatId, bot.Scrub(api.Message), ct).ConfigureAwait(false);
                logger.LogWarning("Telegram refused a send to {Target}: {Description}", target, api.Message);
                return SendResult.Permanent(bot.Scrub(api.Message));
            case ApiRequestException api:
                logger.LogWarning("Telegram refused a send to {Target}: {Description}", target, api.Message);
                return SendResult.Permanent(bot.Scrub(api.Message));
            default:
                logger.LogWarning("Telegram send to {Target} failed: {Error}", target, error);
                return SendResult.Transient(error);
        }
    }

    private static bool IsRemoval(string description) =>
        new[] { "kicked", "not a member", "blocked by the user", "user is deactivated" }.Any(s => description.Contains(s, StringComparison.OrdinalIgnoreCase));

    private static bool IsParseError(ApiRequestException ex) =>
        ex.ErrorCode == 400 && ex.Message.Contains("can't parse entities", StringComparison.OrdinalIgnoreCase);

    internal static bool IsSendFailure(Exception ex) =>
        ex is ApiRequestException or RequestException or HttpRequestException or IOException or TaskCanceledException;
}
