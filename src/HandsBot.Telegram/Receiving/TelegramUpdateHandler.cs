using System.Globalization;
using HandsBot.Core.Chat;
using HandsBot.Core.Configuration;
using HandsBot.Core.Delivery;
using HandsBot.Telegram.Sending;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Telegram.Bot.Types;
using Telegram.Bot.Types.Enums;
using HandsBot.Core.Access;

namespace HandsBot.Telegram.Receiving;

/// <summary>
/// Turns one Telegram update into a <see cref="ChatCommand"/>, <see cref="ButtonTap"/> or membership
/// change and sends the answer back. Never throws for a bad update: it is logged and skipped, so one
/// poison update cannot stall the queue.
/// </summary>
internal sealed class TelegramUpdateHandler(
    TelegramBot bot,
    TelegramSender sender,
    ChatMembership membership,
    IChatCommandService commands,
    IOptions<ChannelsOptions> channels,
    IOptions<OutputOptions> output,
    TelegramAdapterOptions options,
    TimeProvider time,
    ILogger<TelegramUpdateHandler> logger)
{
    /// <summary>The adapter's own command: shows the chat (and topic) id and the config line for it.</summary>
    public const string ChatIdCommand = "chatid";

    /// <summary>Raised after an update was handled, with the time from receipt to the last reply sent (the load benchmark observes it).</summary>
    public event Action<Update, TimeSpan>? Handled;

    public async Task HandleAsync(Update update, CancellationToken ct)
    {
        var started = time.GetTimestamp();
        try
        {
            switch (update)
            {
                case { Message: { } message }:
                    await HandleMessageAsync(message, ct).ConfigureAwait(false);
                    break;
                case { CallbackQuery: { } query }:
                    await HandleCallbackAsync(query, ct).ConfigureAwait(false);
                    break;
                case { MyChatMember: { } change }:
                    await HandleMembershipAsync(change, ct).ConfigureAwait(false);
                    break;
                default:
                    logger.LogDebug("Ignoring Telegram update {UpdateId} of type {Type}", update.Id, update.Type);
                    break;
            }
        }
        catch (Exception ex) when (!ct.IsCancellationRequested)
        {
            logger.LogError("Telegram update {UpdateId} failed and was skipped: {Error}", update.Id, bot.Describe(ex));
        }
        Handled?.Invoke(update, time.GetElapsedTime(started));
    }

    private async Task HandleMessageAsync(Message message, CancellationToken ct)
    {
        if (message.From is not { } from || CommandText.Parse(message.Text) is not { } command) return;
        if (!command.IsFor(bot.Username))
        {
            logger.LogDebug("Ignoring /{Command} addressed to @{Addressee}", command.Name, command.Addressee);
            return;
        }
        var place = PlaceOf(message);
        var target = TargetOf(place);
        if (command.Name == ChatIdCommand)
        {
            await SendWithRetryAsync(target, Html(ChatIdText(message.Chat, place.ThreadId)), message.Id, ct).ConfigureAwait(false);
            return;
        }
        var user = new ChatUser("telegram", from.Id.ToString(CultureInfo.InvariantCulture), DisplayName(from));
        // Telegram clients send /start when someone first opens the bot: answer it with the help.
        var name = command.Name == "start" && !commands.Commands.Any(c => c.Name == "start") ? "help" : command.Name;
        var reply = await commands.HandleCommandAsync(new ChatCommand(user, place, name, command.Args), ct).ConfigureAwait(false);
        await ReplyAsync(target, reply, message.Id, ct).ConfigureAwait(false);
    }

    private async Task HandleCallbackAsync(CallbackQuery query, CancellationToken ct)
    {
        var user = new ChatUser("telegram", query.From.Id.ToString(CultureInfo.InvariantCulture), DisplayName(query.From));
        var message = query.Message;
        // A tap on a message too old to be returned still has the tapper; their private chat is the place.
        var place = message is null
            ? new ChatPlace("telegram", user.UserId, null, IsPrivate: true)
            : PlaceOf(message);
        var tap = new ButtonTap(user, place, query.Data ?? "", message?.Id.ToString(CultureInfo.InvariantCulture));
        var answer = await commands.HandleButtonAsync(tap, ct).ConfigureAwait(false);
        await sender.AnswerCallbackAsync(query.Id, answer.Toast, ct).ConfigureAwait(false);

        var target = TargetOf(place);
        if (!answer.IsRefusal && answer.UpdatedMessage is { } updated && message is not null)
        {
            var parts = Render(updated);
            await WithRetryAsync(() => sender.EditAsync(target, message.Id.ToString(CultureInfo.InvariantCulture), parts[0], ct), target, ct).ConfigureAwait(false);
            foreach (var extra in parts.Skip(1)) await SendWithRetryAsync(target, extra, message.Id, ct).ConfigureAwait(false);
        }
        if (answer.PrivateReply is { } privateReply)
        {
            await ReplyAsync(target, privateReply, message?.Id, ct).ConfigureAwait(false);
        }
    }

    private async Task HandleMembershipAsync(ChatMemberUpdated change, CancellationToken ct)
    {
        var chat = change.Chat;
        var chatId = chat.Id.ToString(CultureInfo.InvariantCulture);
        var wasIn = change.OldChatMember.IsInChat;
        var isIn = change.NewChatMember.IsInChat;
        if (wasIn == isIn) return;
        if (!isIn)
        {
            var how = (change.NewChatMember.Status, chat.Type) switch
            {
                (ChatMemberStatus.Kicked, ChatType.Private) => "blocked",
                (ChatMemberStatus.Kicked, _) => "kicked",
                _ => "left",
            };
            var reason = $"{how} by {DisplayName(change.From)} at {change.Date:u}";
            logger.LogWarning("Telegram bot was removed from chat {ChatId} ({Title}): {Reason}", chatId, chat.Title ?? chat.Username, reason);
            await membership.MarkRemovedAsync(chatId, reason, ct).ConfigureAwait(false);
            return;
        }
        logger.LogInformation("Telegram bot was added to chat {ChatId} ({Title}) by {User}", chatId, chat.Title ?? chat.Username, DisplayName(change.From));
        await membership.MarkPresentAsync(chatId, ct).ConfigureAwait(false);
        if (chat.Type != ChatType.Private)
        {
            await SendWithRetryAsync(new TelegramTarget(chatId, null), Html(WelcomeText(chat)), null, ct).ConfigureAwait(false);
        }
    }

    private async Task ReplyAsync(TelegramTarget target, ChatReply reply, int? replyTo, CancellationToken ct)
    {
        foreach (var part in Render(reply)) await SendWithRetryAsync(target, part, replyTo, ct).ConfigureAwait(false);
    }

    private List<OutboundPart> Render(ChatReply reply) =>
        [.. TelegramChannel.RenderParts(new OutgoingContent { Text = reply.Markdown, Buttons = reply.Buttons }, output.Value.MaxParts)];

    private Task SendWithRetryAsync(TelegramTarget target, OutboundPart part, int? replyTo, CancellationToken ct) =>
        WithRetryAsync(() => sender.SendAsync(target, part, replyTo, ct), target, ct);

    /// <summary>Replies are not in the outbox, so transient failures are retried here (honouring retry_after).</summary>
    private async Task WithRetryAsync(Func<Task<SendResult>> send, TelegramTarget target, CancellationToken ct)
    {
        var backoff = options.ErrorCooldown;
        for (var attempt = 1; ; attempt++)
        {
            var result = await send().ConfigureAwait(false);
            if (result.Status == SendStatus.Delivered) return;
            if (result.Status == SendStatus.Permanent || attempt >= options.ReplyAttempts)
            {
                logger.LogWarning("Telegram reply to {Target} was not delivered after {Attempts} attempt(s): {Error}", target, attempt, result.Error);
                return;
            }
            await Task.Delay(result.RetryAfter ?? backoff, time, ct).ConfigureAwait(false);
            backoff = TimeSpan.FromTicks(Math.Min(backoff.Ticks * 2, options.MaxErrorCooldown.Ticks));
        }
    }

    private string ChatIdText(Chat chat, string? topicId)
    {
        var chatId = chat.Id.ToString(CultureInfo.InvariantCulture);
        var route = topicId is null ? chatId : $"{chatId}:{topicId}";
        var lines = new List<string> { $"This chat's id: <code>{chatId}</code>" };
        if (topicId is not null) lines.Add($"This topic's id: <code>{topicId}</code> (route <code>{route}</code>)");
        lines.Add(ConfiguredAs(route) is { } name
            ? $"Already configured as <code>[channels.{Escape(name)}]</code>."
            : $"To deliver hands' output here, add to config/handsbot.toml:\n{ConfigBlock(chat, route, topicId)}");
        return string.Join("\n", lines);
    }

    private string WelcomeText(Chat chat)
    {
        var chatId = chat.Id.ToString(CultureInfo.InvariantCulture);
        var lines = new List<string>
        {
            $"👋 HandsBot is here. This chat's id is <code>{chatId}</code>.",
            ConfiguredAs(chatId) is { } name
                ? $"It is already configured as <code>[channels.{Escape(name)}]</code>."
                : $"To deliver hands' output here, add to config/handsbot.toml:\n{ConfigBlock(chat, chatId, null)}",
        };
        if (chat.IsForum)
        {
            lines.Add("This group has topics: send /chatid inside a topic to get its <code>chat_id:topic_id</code> line.");
        }
        lines.Add("Send /help for the commands.");
        return string.Join("\n\n", lines);
    }

    private static string ConfigBlock(Chat chat, string route, string? topicId)
    {
        var name = Slug(chat.Title ?? chat.Username ?? "team") + (topicId is null ? "" : "-" + topicId);
        return $"<pre>[channels.{Escape(name)}]\ntelegram = \"{Escape(route)}\"</pre>";
    }

    private string? ConfiguredAs(string route) =>
        channels.Value.Routes.FirstOrDefault(r => string.Equals(r.Value.Telegram.Trim(), route, StringComparison.Ordinal)).Key;

    private static OutboundPart Html(string html) => new() { Text = html, PlainText = StripTags(html) };

    private static ChatPlace PlaceOf(Message message) => new(
        "telegram",
        message.Chat.Id.ToString(CultureInfo.InvariantCulture),
        message.IsTopicMessage && message.MessageThreadId is { } thread ? thread.ToString(CultureInfo.InvariantCulture) : null,
        message.Chat.Type == ChatType.Private);

    private static TelegramTarget TargetOf(ChatPlace place) =>
        new(place.ChatId, place.ThreadId is null ? null : int.Parse(place.ThreadId, CultureInfo.InvariantCulture));

    internal static string DisplayName(User user)
    {
        var name = string.IsNullOrWhiteSpace(user.LastName) ? user.FirstName : $"{user.FirstName} {user.LastName}";
        return string.IsNullOrWhiteSpace(name) ? user.Username ?? user.Id.ToString(CultureInfo.InvariantCulture) : name;
    }

    /// <summary>A TOML-friendly channel name from a chat title ("Ops Team!" → "ops-team").</summary>
    internal static string Slug(string title)
    {
        var chars = title.ToLowerInvariant().Select(c => char.IsAsciiLetterOrDigit(c) ? c : '-').ToArray();
        var slug = string.Join("-", new string(chars).Split('-', StringSplitOptions.RemoveEmptyEntries));
        return slug.Length == 0 ? "team" : slug;
    }

    private static string Escape(string text) =>
        text.Replace("&", "&amp;", StringComparison.Ordinal).Replace("<", "&lt;", StringComparison.Ordinal).Replace(">", "&gt;", StringComparison.Ordinal);

    private static string StripTags(string html) =>
        System.Text.RegularExpressions.Regex.Replace(html, "<[^>]+>", "")
            .Replace("&lt;", "<", StringComparison.Ordinal).Replace("&gt;", ">", StringComparison.Ordinal).Replace("&amp;", "&", StringComparison.Ordinal);
}
