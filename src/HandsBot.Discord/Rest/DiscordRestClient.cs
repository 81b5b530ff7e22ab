using System.Collections.Concurrent;
using System.Globalization;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using System.Text.Json.Serialization.Metadata;
using HandsBot.Core.Configuration;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace HandsBot.Discord.Rest;

/// <summary>
/// Discord's REST API with its rate-limit rules: requests wait in per-bucket queues, respect the
/// global limit, never retry a 429 before its retry_after, stop using a route after 401/403 and
/// refuse to send when the invalid-request window is nearly spent.
/// </summary>
public sealed partial class DiscordRestClient
{
    public const string HttpClientName = "HandsBot.Discord";
    internal const string UserAgent = "DiscordBot (https://github.com/handsbot/handsbot, 0.1.0)";

    private readonly HttpClient _http;
    private readonly DiscordOptions _options;
    private readonly TimeProvider _time;
    private readonly RateLimitSettings _settings;
    private readonly RateLimiter _limiter;
    private readonly ILogger<DiscordRestClient> _logger;
    private readonly ConcurrentDictionary<string, string> _forbiddenRoutes = new();
    private volatile bool _tokenRejected;

    public DiscordRestClient(HttpClient http, IOptions<DiscordOptions> options, TimeProvider time, ILogger<DiscordRestClient> logger, RateLimitSettings? settings = null)
    {
        _http = http;
        _options = options.Value;
        _time = time;
        _logger = logger;
        _settings = settings ?? new RateLimitSettings();
        _limiter = new RateLimiter(time, _settings);
        _http.BaseAddress = new Uri(_options.ApiUrl.TrimEnd('/') + "/");
    }

    /// <summary>Invalid requests (401/403/429) counted in the current window.</summary>
    public int InvalidRequestCount => _limiter.InvalidCount;

    public Task<DiscordResponse> SendJsonAsync<T>(HttpMethod method, string path, T body, JsonTypeInfo<T> type, CancellationToken ct)
        => SendAsync(method, path, () => new StringContent(JsonSerializer.Serialize(body, type), Encoding.UTF8, "application/json"), ct);

    /// <summary>
    /// Sends one request. <paramref name="content"/> is a factory because a 429 retry needs a fresh body.
    /// Interaction callbacks and webhook follow-ups go without the bot token and outside the global limit.
    /// </summary>
    public async Task<DiscordResponse> SendAsync(HttpMethod method, string path, Func<HttpContent?>? content, CancellationToken ct)
    {
        var route = DiscordRoute.Parse(path);
        var authenticated = !route.IsInteraction && !route.Template.StartsWith("webhooks/", StringComparison.Ordinal);
        var queueKey = route.QueueKey(method);
        if (Refuse(authenticated, queueKey) is { } refusal) return refusal;

        var queue = _limiter.Queue(queueKey);
        await queue.WaitAsync(ct).ConfigureAwait(false);
        try
        {
            for (var attempt = 0; ; attempt++)
            {
                await _limiter.WaitAsync(method, route, ct).ConfigureAwait(false);
                var response = await SendOnceAsync(method, path, content, authenticated, route, ct).ConfigureAwait(false);
                if (response.StatusCode != 429) return Remember(response, authenticated, queueKey);
                var wait = response.RetryAfter ?? TimeSpan.FromSeconds(1);
                if (attempt + 1 >= _settings.MaxRetries || wait > _settings.MaxInlineRetryWait) return response;
                // The limiter was told of the block; the next WaitAsync waits it out.
            }
        }
        finally
        {
            queue.Release();
        }
    }

    private DiscordResponse? Refuse(bool authenticated, string queueKey)
    {
        if (authenticated && _tokenRejected)
        {
            return new DiscordResponse { Refusal = "Discord rejected the bot token (401); not sending until the token is fixed and HandsBot restarted" };
        }
        if (_forbiddenRoutes.TryGetValue(queueKey, out var why))
        {
            return new DiscordResponse { Refusal = $"Discord refused this route earlier ({why}); not sending there again until restart" };
        }
        if (_limiter.InvalidBudgetExhaustedFor() is { } wait)
        {
            return new DiscordResponse
            {
                Refusal = $"Too many invalid Discord requests ({_limiter.InvalidCount} in {_settings.InvalidWindow.TotalMinutes:0} minutes); pausing to avoid a Cloudflare ban",
                RetryAfter = wait,
                IsTransient = true,
            };
        }
        return null;
    }

    private DiscordResponse Remember(DiscordResponse response, bool authenticated, string queueKey)
    {
        if (response.StatusCode == 401 && authenticated)
        {
            _tokenRejected = true;
            LogTokenRejected(_logger);
        }
        else if (response.StatusCode == 403)
        {
            _forbiddenRoutes[queueKey] = response.Describe();
            LogRouteForbidden(_logger, queueKey, response.Describe());
        }
        return response;
    }

    private async Task<DiscordResponse> SendOnceAsync(HttpMethod method, string path, Func<HttpContent?>? content, bool authenticated, DiscordRoute route, CancellationToken ct)
    {
        using var request = new HttpRequestMessage(method, path.TrimStart('/')) { Content = content?.Invoke() };
        request.Headers.TryAddWithoutValidation("User-Agent", UserAgent);
        if (authenticated) request.Headers.Authorization = new AuthenticationHeaderValue("Bot", _options.Token);
        HttpResponseMessage httpResponse;
        try
        {
            httpResponse = await _http.SendAsync(request, ct).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is HttpRequestException || (ex is TaskCanceledException && !ct.IsCancellationRequested))
        {
            LogNetworkError(_logger, method.Method, route.Template, ex.Message);
            return new DiscordResponse { ErrorMessage = $"network error: {ex.Message}", IsTransient = true };
        }

        using (httpResponse)
        {
            var body = await httpResponse.Content.ReadAsStringAsync(ct).ConfigureAwait(false);
            var headers = httpResponse.Headers;
            _limiter.Update(method, route, Header(headers, "X-RateLimit-Bucket"),
                int.TryParse(Header(headers, "X-RateLimit-Remaining"), NumberStyles.Integer, CultureInfo.InvariantCulture, out var remaining) ? remaining : null,
                Seconds(Header(headers, "X-RateLimit-Reset-After")));
            var status = (int)httpResponse.StatusCode;
            var error = status >= 400 ? ParseError(body) : null;
            TimeSpan? retryAfter = null;
            if (status == 429)
            {
                retryAfter = (error?.RetryAfter is { } s ? TimeSpan.FromSeconds(s) : (TimeSpan?)null)
                    ?? Seconds(Header(headers, "Retry-After")) ?? TimeSpan.FromSeconds(1);
                var scope = Header(headers, "X-RateLimit-Scope");
                var global = error?.Global == true || string.Equals(Header(headers, "X-RateLimit-Global"), "true", StringComparison.OrdinalIgnoreCase) || scope == "global";
                _limiter.Block(method, route, retryAfter.Value, global);
                // A "shared" 429 is another client's doing and does not count against us.
                if (scope != "shared") _limiter.CountInvalid();
                LogRateLimited(_logger, method.Method, route.Template, retryAfter.Value.TotalMilliseconds, global);
            }
            else if (status is 401 or 403)
            {
                _limiter.CountInvalid();
            }
            return new DiscordResponse
            {
                StatusCode = status,
                Body = body,
                ErrorCode = error?.Code is > 0 ? error.Code : null,
                ErrorMessage = error?.Message,
                RetryAfter = retryAfter,
                IsTransient = status is 429 or >= 500,
            };
        }
    }

    private static ErrorResponse? ParseError(string body)
    {
        try
        {
            return body.Length > 0 && body[0] == '{' ? JsonSerializer.Deserialize(body, DiscordJsonContext.Default.ErrorResponse) : null;
        }
        catch (JsonException)
        {
            return null;
        }
    }

    private static string? Header(HttpResponseHeaders headers, string name)
        => headers.TryGetValues(name, out var values) ? values.FirstOrDefault() : null;

    private static TimeSpan? Seconds(string? value)
        => double.TryParse(value, NumberStyles.Float, CultureInfo.InvariantCulture, out var s) ? TimeSpan.FromSeconds(s) : null;

    [LoggerMessage(Level = LogLevel.Error, Message = "Discord rejected the bot token (401); bot requests are stopped")]
    private static partial void LogTokenRejected(ILogger logger);

    [LoggerMessage(Level = LogLevel.Error, Message = "Discord forbade {Route}: {Reason}; the route is no longer used")]
    private static partial void LogRouteForbidden(ILogger logger, string route, string reason);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Discord {Method} {Route} network error: {Error}")]
    private static partial void LogNetworkError(ILogger logger, string method, string route, string error);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Discord {Method} {Route} rate limited for {RetryAfterMs} ms (global: {Global})")]
    private static partial void LogRateLimited(ILogger logger, string method, string route, double retryAfterMs, bool global);
}
