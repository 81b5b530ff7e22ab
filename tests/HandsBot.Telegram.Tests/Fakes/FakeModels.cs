namespace HandsBot.Telegram.Tests.Fakes;

/// <summary>A message the bot sent (or a document), as the fake server stored it.</summary>
public sealed record FakeMessage
{
    public required int MessageId { get; init; }
    public required string ChatId { get; init; }
    public int? ThreadId { get; init; }
    /// <summary>The text as sent (HTML when <see cref="ParseMode"/> is "HTML").</summary>
    public required string Text { get; init; }
    public string? ParseMode { get; init; }
    public int? ReplyTo { get; init; }
    public bool LinkPreviewDisabled { get; init; }
    /// <summary>Inline keyboard rows of (label, callback_data).</summary>
    public IReadOnlyList<IReadOnlyList<(string Text, string Data)>> Keyboard { get; init; } = [];
    public string? FileName { get; init; }
    public string? FileContent { get; init; }
    public int EditCount { get; init; }
}

public sealed record FakeCallbackAnswer(string CallbackQueryId, string? Text);

/// <summary>A scripted failure for the next calls of a method.</summary>
public sealed record FakeFault(int Status, string Description, int? RetryAfter = null, bool HtmlBody = false, long? MigrateToChatId = null)
{
    public static FakeFault Migrated(long newChatId) => new(400, "Bad Request: group chat was upgraded to a supergroup chat", MigrateToChatId: newChatId);
    public static FakeFault Blocked() => new(403, "Forbidden: bot was blocked by the user");
    public static FakeFault TooManyRequests(int retryAfter) => new(429, $"Too Many Requests: retry after {retryAfter}", retryAfter);
    public static FakeFault BadGateway() => new(502, "Bad Gateway", HtmlBody: true);
    public static FakeFault ServerError() => new(500, "Internal Server Error");
    public static FakeFault Conflict() => new(409, "Conflict: terminated by other getUpdates request; make sure that only one bot instance is running");
}

/// <summary>Limits the fake enforces with 429s, like Telegram's flood control (sliding windows, real time).</summary>
public sealed record FakeRateLimits(int ChatMessages, TimeSpan ChatWindow, int RetryAfterSeconds = 1);
