using Telegram.Bot.Types;
using Telegram.Bot.Types.Enums;

namespace HandsBot.Telegram.Tests.Fakes;

/// <summary>Builds the updates Telegram would send (ids are assigned by <see cref="FakeBotApi"/>).</summary>
public static class FakeUpdates
{
    private static int _nextIncomingMessageId = 50_000;

    public static User Person(long id, string firstName = "Ann") => new() { Id = id, FirstName = firstName };

    public static Chat PrivateChat(long userId) => new() { Id = userId, Type = ChatType.Private, FirstName = "Ann" };

    public static Chat Group(long id, string title = "Ops Team", bool forum = false) =>
        new() { Id = id, Type = forum ? ChatType.Supergroup : ChatType.Group, Title = title, IsForum = forum };

    public static Update Text(Chat chat, User from, string text, int? topicId = null) => new()
    {
        Message = new Message
        {
            Id = Interlocked.Increment(ref _nextIncomingMessageId),
            Date = DateTime.UtcNow,
            Chat = chat,
            From = from,
            Text = text,
            MessageThreadId = topicId,
            IsTopicMessage = topicId is not null,
            Entities = text.StartsWith('/') ? [new MessageEntity { Type = MessageEntityType.BotCommand, Offset = 0, Length = text.Split(' ')[0].Length }] : null,
        },
    };

    public static Update Tap(Chat chat, User from, int messageId, string data) => new()
    {
        CallbackQuery = new CallbackQuery
        {
            Id = Guid.NewGuid().ToString("N"),
            From = from,
            ChatInstance = "ci",
            Data = data,
            Message = new Message { Id = messageId, Date = DateTime.UtcNow, Chat = chat },
        },
    };

    public static Update Membership(Chat chat, User by, bool added) => new()
    {
        MyChatMember = new ChatMemberUpdated
        {
            Chat = chat,
            From = by,
            Date = DateTime.UtcNow,
            OldChatMember = added ? new ChatMemberLeft { User = Bot } : new ChatMemberMember { User = Bot },
            NewChatMember = added ? new ChatMemberMember { User = Bot } : new ChatMemberBanned { User = Bot },
        },
    };

    private static User Bot => new() { Id = FakeBotApi.BotId, IsBot = true, FirstName = "Hands", Username = FakeBotApi.BotUsername };
}
