using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using System.Threading.Channels;
using HandsBot.Core.Configuration;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Telegram.Bot;
using Telegram.Bot.Types;

namespace HandsBot.Telegram.Receiving;

/// <summary>
/// The webhook endpoint's logic: checks Telegram's secret header (constant time), drops duplicate
/// update ids, queues the update and answers 200 at once; the webhook service handles the queue.
/// </summary>
internal sealed class TelegramWebhookReceiver
{
    public const string SecretHeader = "X-Telegram-Bot-Api-Secret-Token";
    public const string DefaultPath = "/telegram/webhook";
    private const int RememberedIds = 10_000;
    private readonly byte[] _secret;
    private readonly ILogger<TelegramWebhookReceiver> _logger;
    private readonly Channel<Update> _queue = Channel.CreateUnbounded<Update>(new UnboundedChannelOptions { SingleReader = true });
    private readonly Lock _seenGate = new();
    private readonly HashSet<int> _seen = [];
    private readonly Queue<int> _seenOrder = new();

    public TelegramWebhookReceiver(IOptions<TelegramOptions> options, ILogger<TelegramWebhookReceiver> logger)
    {
        _logger = logger;
        var configured = options.Value.WebhookSecret;
        // Without a configured secret, a random one for this process still keeps strangers out.
        Secret = string.IsNullOrEmpty(configured) ? Convert.ToHexString(RandomNumberGenerator.GetBytes(32)) : configured;
        _secret = Encoding.UTF8.GetBytes(Secret);
        Path = PathOf(options.Value.WebhookUrl);
    }

    /// <summary>The secret_token given to setWebhook.</summary>
    public string Secret { get; }

    /// <summary>The local path the endpoint listens on: webhook_url's path, or <see cref="DefaultPath"/>.</summary>
    public string Path { get; }

    public ChannelReader<Update> Updates => _queue.Reader;

    /// <summary>Stops accepting updates (503, so Telegram redelivers them after the restart).</summary>
    public void Close() => _queue.Writer.TryComplete();

    public async Task ReceiveAsync(HttpContext context)
    {
        var given = context.Request.Headers[SecretHeader].ToString();
        if (!CryptographicOperations.FixedTimeEquals(Encoding.UTF8.GetBytes(given), _secret))
        {
            _logger.LogWarning("Telegram webhook call from {Remote} refused: wrong or missing secret token", context.Connection.RemoteIpAddress);
            context.Response.StatusCode = StatusCodes.Status401Unauthorized;
            return;
        }
        Update? update;
        try
        {
            update = await JsonSerializer.DeserializeAsync<Update>(context.Request.Body, JsonBotAPI.Options, context.RequestAborted).ConfigureAwait(false);
        }
        catch (JsonException ex)
        {
            _logger.LogWarning("Telegram webhook body is not an update: {Error}", ex.Message);
            context.Response.StatusCode = StatusCodes.Status400BadRequest;
            return;
        }
        if (update is null)
        {
            context.Response.StatusCode = StatusCodes.Status400BadRequest;
            return;
        }
        if (!Remember(update.Id))
        {
            _logger.LogDebug("Duplicate Telegram update {UpdateId} ignored", update.Id);
            context.Response.StatusCode = StatusCodes.Status200OK;
            return;
        }
        if (!_queue.Writer.TryWrite(update))
        {
            // Shutting down: not acknowledged, so Telegram keeps it and sends it again.
            Forget(update.Id);
            context.Response.StatusCode = StatusCodes.Status503ServiceUnavailable;
            return;
        }
        context.Response.StatusCode = StatusCodes.Status200OK;
    }

    private bool Remember(int id)
    {
        lock (_seenGate)
        {
            if (!_seen.Add(id)) return false;
            _seenOrder.Enqueue(id);
            if (_seenOrder.Count > RememberedIds) _seen.Remove(_seenOrder.Dequeue());
            return true;
        }
    }

    private void Forget(int id)
    {
        lock (_seenGate) _seen.Remove(id);
    }

    internal static string PathOf(string webhookUrl) =>
        Uri.TryCreate(webhookUrl, UriKind.Absolute, out var uri) && uri.AbsolutePath.Length > 1 ? uri.AbsolutePath : DefaultPath;
}
