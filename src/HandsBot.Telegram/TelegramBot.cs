using System.Net;
using HandsBot.Core.Configuration;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Telegram.Bot;
using Telegram.Bot.Exceptions;
using Telegram.Bot.Types;

namespace HandsBot.Telegram;

/// <summary>
/// The Telegram.Bot client for the configured token and <c>[telegram] api_url</c>, the bot's own
/// identity (from getMe), and whether the adapter is disabled because Telegram rejected the token.
/// </summary>
internal sealed class TelegramBot : IDisposable
{
    private readonly string _token;
    private readonly HttpClient _http;
    private readonly ILogger<TelegramBot> _logger;
    private readonly TaskCompletionSource<User?> _identity = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly string _tokenSource;

    /// <param name="options">[telegram]: the token and api_url.</param>
    /// <param name="logger">Receives connection messages (never the token).</param>
    /// <param name="origins">Says where the token was set, for the message when Telegram rejects it.</param>
    public TelegramBot(IOptions<TelegramOptions> options, ILogger<TelegramBot> logger, ISettingOrigins? origins = null)
    {
        _token = options.Value.Token.Trim();
        _logger = logger;
        _tokenSource = (origins ?? UnknownSettingOrigins.Instance).Describe("telegram:token");
        // Long polls hold a request open for PollTimeout; the client's own timeout must outlast it.
        _http = new HttpClient(new SocketsHttpHandler { PooledConnectionLifetime = TimeSpan.FromMinutes(5) })
        {
            Timeout = TimeSpan.FromSeconds(120),
        };
        var baseUrl = string.IsNullOrWhiteSpace(options.Value.ApiUrl) ? null : options.Value.ApiUrl.TrimEnd('/');
        // RetryCount 0: 429s come back to us so the pacer and the outbox decide, per chat.
        Client = new TelegramBotClient(new TelegramBotClientOptions(_token, baseUrl) { RetryCount = 0 }, _http);
    }

    public ITelegramBotClient Client { get; }

    /// <summary>Set when Telegram refused the token: nothing is sent or received until a restart.</summary>
    public string? DisabledReason { get; private set; }

    /// <summary>The bot's user, once getMe succeeded; null when the adapter is disabled.</summary>
    public Task<User?> Identity => _identity.Task;

    /// <summary>The bot's @username, for telling "/cmd@ThisBot" from "/cmd@OtherBot".</summary>
    public string? Username => _identity.Task.IsCompletedSuccessfully ? _identity.Task.Result?.Username : null;

    /// <summary>
    /// Calls getMe until it succeeds (network errors cool down and retry). A 401 disables the adapter
    /// with a clear log line that does not contain the token. Returns false when disabled.
    /// </summary>
    public async Task<bool> ConnectAsync(TelegramAdapterOptions options, TimeProvider time, CancellationToken ct)
    {
        if (_identity.Task.IsCompleted) return await _identity.Task.ConfigureAwait(false) is not null;
        var cooldown = options.ErrorCooldown;
        while (true)
        {
            try
            {
                var me = await Client.GetMe(ct).ConfigureAwait(false);
                _logger.LogInformation("Telegram bot @{Username} (id {BotId}) connected", me.Username, me.Id);
                _identity.TrySetResult(me);
                return true;
            }
            catch (ApiRequestException ex) when (ex.ErrorCode is 401 or 404)
            {
                // 404 is what Telegram answers for a token of the wrong shape.
                DisabledReason = $"Telegram rejected the bot token ({ex.ErrorCode} {Scrub(ex.Message)})";
                _logger.LogError(
                    "Telegram rejected the bot token ({Status} {Description}): check {TokenSource} (get it from @BotFather). Telegram commands and delivery are off until a restart; the rest of HandsBot keeps running.",
                    ex.ErrorCode, Scrub(ex.Message), _tokenSource);
                _identity.TrySetResult(null);
                return false;
            }
            catch (Exception ex) when (!ct.IsCancellationRequested)
            {
                _logger.LogWarning("Telegram getMe failed ({Error}); retrying in {Cooldown}", Describe(ex), cooldown);
                await Task.Delay(cooldown, time, ct).ConfigureAwait(false);
                cooldown = TimeSpan.FromTicks(Math.Min(cooldown.Ticks * 2, options.MaxErrorCooldown.Ticks));
            }
        }
    }

    /// <summary>Removes the token from text that may contain a request URL (exception messages).</summary>
    public string Scrub(string? text)
    {
        if (string.IsNullOrEmpty(text)) return "";
        return string.IsNullOrEmpty(_token) ? text : text.Replace(_token, "<token>", StringComparison.Ordinal);
    }

    /// <summary>An exception as a one-line, token-free description (type, status and messages of the chain).</summary>
    public string Describe(Exception ex)
    {
        var parts = new List<string>();
        for (var e = ex; e is not null; e = e.InnerException)
        {
            var status = e switch
            {
                ApiRequestException api => $" {api.ErrorCode}",
                RequestException { HttpStatusCode: { } code } => $" {(int)code}",
                HttpRequestException { StatusCode: HttpStatusCode code } => $" {(int)code}",
                _ => "",
            };
            parts.Add($"{e.GetType().Name}{status}: {Scrub(e.Message)}");
        }
        return string.Join(" <- ", parts);
    }

    public void Dispose() => _http.Dispose();
}
