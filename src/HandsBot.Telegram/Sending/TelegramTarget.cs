using System.Globalization;
using HandsBot.Core.Delivery;
using Telegram.Bot.Types;

namespace HandsBot.Telegram.Sending;

/// <summary>A Telegram chat and optional forum topic, from a <see cref="ChannelTarget"/> or a "chat_id:topic_id" route.</summary>
internal sealed record TelegramTarget(string ChatId, int? TopicId)
{
    public ChatId Chat => long.TryParse(ChatId, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var id) ? new ChatId(id) : new ChatId(ChatId);

    /// <summary>Parses a target; a ChatId of "chat:topic" (as written in [channels]) is split here too.</summary>
    public static bool TryParse(ChannelTarget target, out TelegramTarget parsed, out string? error)
    {
        var chat = target.ChatId.Trim();
        var topic = target.ThreadId?.Trim();
        var colon = chat.LastIndexOf(':');
        if (topic is null && colon > 0)
        {
            topic = chat[(colon + 1)..];
            chat = chat[..colon];
        }
        parsed = new TelegramTarget(chat, null);
        if (chat.Length == 0 || !(chat.StartsWith('@') || long.TryParse(chat, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out _)))
        {
            error = $"'{target.ChatId}' is not a Telegram chat id (a number such as -1001234567890, or @channelname)";
            return false;
        }
        if (!string.IsNullOrEmpty(topic))
        {
            if (!int.TryParse(topic, NumberStyles.None, CultureInfo.InvariantCulture, out var topicId) || topicId <= 0)
            {
                error = $"'{topic}' is not a Telegram topic id (a positive number)";
                return false;
            }
            parsed = parsed with { TopicId = topicId };
        }
        error = null;
        return true;
    }

    public override string ToString() => TopicId is null ? ChatId : $"{ChatId}:{TopicId}";
}
