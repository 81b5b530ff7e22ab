using System.Net;

namespace HandsBot.Discord.Rest;

/// <summary>
/// What a Discord REST call came to: an HTTP answer, a network failure, or a refusal by the client
/// itself (token rejected earlier, route forbidden, invalid-request budget nearly spent).
/// </summary>
public sealed record DiscordResponse
{
    /// <summary>The HTTP status, or 0 when no answer arrived (network failure or client refusal).</summary>
    public int StatusCode { get; init; }
    public string Body { get; init; } = "";
    /// <summary>Discord's JSON error code (50001 Missing Access, 10003 Unknown Channel, 40060 ...).</summary>
    public int? ErrorCode { get; init; }
    public string? ErrorMessage { get; init; }
    /// <summary>How long to wait before trying again (429 retry_after, or the refusal's window).</summary>
    public TimeSpan? RetryAfter { get; init; }
    /// <summary>Set when the client refused to send; explains why.</summary>
    public string? Refusal { get; init; }
    /// <summary>True when trying again later may succeed (429, 5xx, network, invalid-request budget).</summary>
    public bool IsTransient { get; init; }

    public bool IsSuccess => StatusCode is >= 200 and < 300;

    /// <summary>A one-line reason fit for logs and chat (never contains the token).</summary>
    public string Describe()
    {
        if (Refusal is not null) return Refusal;
        if (StatusCode == 0) return ErrorMessage ?? "network error";
        if (StatusCode == 401) return "401 Unauthorized: Discord rejected the bot token";
        var status = $"{StatusCode} {(HttpStatusCode)StatusCode}";
        return ErrorCode is null ? status : $"{status}: {ErrorMessage} ({ErrorCode})";
    }

    /// <summary>Throws <see cref="DiscordApiException"/> unless the call succeeded.</summary>
    public DiscordResponse EnsureSuccess(string what)
    {
        if (!IsSuccess) throw new DiscordApiException($"{what} failed: {Describe()}", this);
        return this;
    }
}

/// <summary>A Discord REST call that did not succeed, with the response that explains it.</summary>
public sealed class DiscordApiException : Exception
{
    public DiscordApiException(string message, DiscordResponse response) : base(message) => Response = response;
    public DiscordApiException() { Response = new DiscordResponse(); }
    public DiscordApiException(string message) : base(message) { Response = new DiscordResponse(); }
    public DiscordApiException(string message, Exception inner) : base(message, inner) { Response = new DiscordResponse(); }

    public DiscordResponse Response { get; }
}
