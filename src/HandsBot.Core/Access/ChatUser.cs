using HandsBot.Core.Delivery;

namespace HandsBot.Core.Access;

/// <summary>Who is speaking: platform, user id, and (Discord) role ids.</summary>
public sealed record ChatUser(string Platform, string UserId, string DisplayName, IReadOnlyList<string>? RoleIds = null)
{
    /// <summary>The identity string used in [access] config: "telegram:42", "discord:1234".</summary>
    public string Identity => $"{Platform}:{UserId}";
}

/// <summary>Where a command came from.</summary>
public sealed record ChatPlace(string Platform, string ChatId, string? ThreadId, bool IsPrivate)
{
    public ChannelTarget Target => new(Platform, ChatId, ThreadId);
}
