using System.Collections.Concurrent;
using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;
using Telegram.Bot;
using Telegram.Bot.Types;
using Telegram.Bot.Types.Enums;

namespace HandsBot.Telegram.Tests.Fakes;

/// <summary>
/// An in-process Telegram Bot API server on Kestrel (127.0.0.1, port 0): POST /bot&lt;token&gt;/&lt;method&gt;
/// with JSON or multipart, ok/result envelopes, getUpdates long polling with offsets, message ids,
/// HTML checks, length limits, flood control, scripted faults, and webhook delivery with the secret header.
/// </summary>
public sealed class FakeBotApi : IAsyncDisposable
{
    public const string DefaultToken = "123456:AAE-fake-token-for-tests_0123456789";
    public const long BotId = 123456;
    public const string BotUsername = "HandsTestBot";
    public const int MaxTextLength = 4096;

    private readonly object _gate = new();
    private readonly List<Update> _pending = [];
    private readonly List<FakeMessage> _messages = [];
    private readonly List<FakeCallbackAnswer> _answers = [];
    private readonly List<string> _calls = [];
    private readonly Dictionary<string, Queue<FakeFault>> _faults = new(StringComparer.Ordinal);
    private readonly Dictionary<string, Queue<long>> _chatSends = new(StringComparer.Ordinal);
    private readonly Stopwatch _clock = Stopwatch.StartNew();
    private TaskCompletionSource _changed = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private WebApplication? _app;
    private int _nextUpdateId = 1000;
    private int _nextMessageId = 1;
    private int _confirmedOffset;
    private static readonly HttpClient WebhookClient = new();

    public FakeBotApi(string token = DefaultToken) => Token = token;

    public string Token { get; }
    public string BaseUrl { get; private set; } = "";
    public FakeRateLimits? RateLimits { get; set; }
    public HashSet<string> KickedChats { get; } = [];
    public HashSet<string> UnknownChats { get; } = [];
    public string? WebhookUrl { get; private set; }
    public string? WebhookSecret { get; private set; }
    /// <summary>Where webhook calls really go (the app under test), in place of webhook_url's host.</summary>
    public string? WebhookDeliveryBase { get; set; }
    public List<BotCommand> MyCommands { get; private set; } = [];
    public int TooManyRequestsSent { get; private set; }

    public async Task<FakeBotApi> StartAsync()
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.UseKestrel(o => o.Listen(IPAddress.Loopback, 0));
        _app = builder.Build();
        _app.MapPost("/bot{token}/{method}", HandleAsync);
        await _app.StartAsync();
        BaseUrl = _app.Urls.First();
        return this;
    }

    // ---- Test controls ----

    /// <summary>Queues an update for getUpdates; its id is assigned here and returned.</summary>
    public int Enqueue(Update update)
    {
        lock (_gate)
        {
            update.Id = _nextUpdateId++;
            _pending.Add(update);
        }
        Signal();
        return update.Id;
    }

    public void FailNext(string method, int count, FakeFault fault)
    {
        lock (_gate)
        {
            if (!_faults.TryGetValue(method, out var queue)) _faults[method] = queue = new Queue<FakeFault>();
            for (var i = 0; i < count; i++) queue.Enqueue(fault);
        }
    }

    public IReadOnlyList<FakeMessage> Messages { get { lock (_gate) return [.. _messages]; } }
    public IReadOnlyList<FakeMessage> MessagesIn(string chatId) { lock (_gate) return [.. _messages.Where(m => m.ChatId == chatId)]; }
    public IReadOnlyList<FakeCallbackAnswer> CallbackAnswers { get { lock (_gate) return [.. _answers]; } }
    /// <summary>Every method called, in order (including refused calls).</summary>
    public IReadOnlyList<string> Calls { get { lock (_gate) return [.. _calls]; } }
    public int CallCount(string method) { lock (_gate) return _calls.Count(c => c == method); }
    /// <summary>The highest offset a getUpdates call confirmed: updates below it are gone for good.</summary>
    public int ConfirmedOffset { get { lock (_gate) return _confirmedOffset; } }
    public int PendingUpdates { get { lock (_gate) return _pending.Count; } }

    /// <summary>Waits (on state-change signals, not sleeps) until the condition holds.</summary>
    public async Task WaitUntilAsync(Func<FakeBotApi, bool> condition, string what, TimeSpan? timeout = null)
    {
        using var cts = new CancellationTokenSource(timeout ?? TimeSpan.FromSeconds(20));
        while (true)
        {
            Task changed;
            lock (_gate) changed = _changed.Task;
            if (condition(this)) return;
            try
            {
                await changed.WaitAsync(cts.Token);
            }
            catch (OperationCanceledException)
            {
                throw new TimeoutException($"Timed out waiting for: {what}. Calls: {string.Join(", ", Calls.TakeLast(20))}");
            }
        }
    }

    /// <summary>Delivers an update to the registered webhook the way Telegram does (secret header), returning the status.</summary>
    public async Task<HttpStatusCode> PostToWebhookAsync(Update update, string? secretOverride = null, int? id = null)
    {
        if (WebhookUrl is null) throw new InvalidOperationException("No webhook was set");
        update.Id = id ?? Interlocked.Increment(ref _nextUpdateId);
        var url = WebhookDeliveryBase is null ? WebhookUrl : WebhookDeliveryBase.TrimEnd('/') + new Uri(WebhookUrl).AbsolutePath;
        using var request = new HttpRequestMessage(HttpMethod.Post, url)
        {
            Content = new StringContent(JsonSerializer.Serialize(update, JsonBotAPI.Options), Encoding.UTF8, "application/json"),
        };
        var secret = secretOverride ?? WebhookSecret;
        if (secret is not null) request.Headers.Add("X-Telegram-Bot-Api-Secret-Token", secret);
        using var response = await WebhookClient.SendAsync(request);
        return response.StatusCode;
    }

    // ---- The Bot API ----

    private async Task HandleAsync(HttpContext context, string token, string method)
    {
        lock (_gate) _calls.Add(method);
        Signal();
        if (token != Token)
        {
            await WriteErrorAsync(context, new FakeFault(401, "Unauthorized"));
            return;
        }
        var request = await FakeRequest.ReadAsync(method, context.Request);
        FakeFault? fault = null;
        lock (_gate)
        {
            if (_faults.TryGetValue(method, out var queue) && queue.Count > 0) fault = queue.Dequeue();
        }
        if (fault is not null)
        {
            if (fault.Status == 429) TooManyRequestsSent++;
            await WriteErrorAsync(context, fault);
            Signal();
            return;
        }
        var (result, error) = method switch
        {
            "getMe" => (JsonSerializer.SerializeToNode(new User { Id = BotId, IsBot = true, FirstName = "Hands", Username = BotUsername }, JsonBotAPI.Options), null),
            "getUpdates" => await GetUpdatesAsync(request, context.RequestAborted),
            "sendMessage" => SendMessage(request, document: false),
            "sendDocument" => SendMessage(request, document: true),
            "editMessageText" => EditMessageText(request),
            "answerCallbackQuery" => AnswerCallback(request),
            "setMyCommands" => SetMyCommands(request),
            "setWebhook" => SetWebhook(request),
            "deleteWebhook" => DeleteWebhook(),
            _ => (null, new FakeFault(404, "Not Found: method not found")),
        };
        if (error is not null)
        {
            if (error.Status == 429) TooManyRequestsSent++;
            await WriteErrorAsync(context, error);
        }
        else
        {
            context.Response.ContentType = "application/json";
            await context.Response.WriteAsync(new JsonObject { ["ok"] = true, ["result"] = result }.ToJsonString());
        }
        Signal();
    }

    private async Task<(JsonNode?, FakeFault?)> GetUpdatesAsync(FakeRequest request, CancellationToken aborted)
    {
        if (WebhookUrl is not null)
        {
            return (null, new FakeFault(409, "Conflict: can't use getUpdates method while webhook is active; use deleteWebhook to delete the webhook first"));
        }
        var offset = (int)(request.Long("offset") ?? 0);
        var limit = (int)(request.Long("limit") ?? 100);
        var timeout = TimeSpan.FromSeconds(request.Long("timeout") ?? 0);
        using var cts = CancellationTokenSource.CreateLinkedTokenSource(aborted, _app!.Lifetime.ApplicationStopping);
        cts.CancelAfter(timeout);
        while (true)
        {
            Task changed;
            lock (_gate)
            {
                if (offset > _confirmedOffset) _confirmedOffset = offset;
                _pending.RemoveAll(u => u.Id < _confirmedOffset);
                if (_pending.Count > 0)
                {
                    return (JsonSerializer.SerializeToNode(_pending.Take(limit).ToArray(), JsonBotAPI.Options), null);
                }
                changed = _changed.Task;
            }
            try
            {
                await changed.WaitAsync(cts.Token);
            }
            catch (OperationCanceledException)
            {
                return (new JsonArray(), null);
            }
        }
    }

    private (JsonNode?, FakeFault?) SendMessage(FakeRequest request, bool document)
    {
        var chatId = request.String("chat_id") ?? "";
        if (KickedChats.Contains(chatId)) return (null, new FakeFault(403, "Forbidden: bot was kicked from the group chat"));
        if (UnknownChats.Contains(chatId)) return (null, new FakeFault(400, "Bad Request: chat not found"));
        var parseMode = request.String("parse_mode");
        var text = (document ? request.String("caption") : request.String("text")) ?? "";
        if (!document && text.Length == 0) return (null, new FakeFault(400, "Bad Request: message text is empty"));
        var (visible, parseError) = string.Equals(parseMode, "HTML", StringComparison.OrdinalIgnoreCase) ? FakeHtml.Parse(text) : (text, null);
        if (parseError is not null) return (null, new FakeFault(400, "Bad Request: can't parse entities: " + parseError));
        if (!document && visible!.Length > MaxTextLength) return (null, new FakeFault(400, "Bad Request: message is too long"));
        if (document && visible!.Length > 1024) return (null, new FakeFault(400, "Bad Request: message caption is too long"));
        var file = document ? AttachedFile(request, "document") : null;
        if (document && file is null) return (null, new FakeFault(400, "Bad Request: there is no document in the request"));

        lock (_gate)
        {
            if (RateLimits is { } limits)
            {
                if (!_chatSends.TryGetValue(chatId, out var sends)) _chatSends[chatId] = sends = new Queue<long>();
                var now = _clock.ElapsedTicks;
                var window = (long)(limits.ChatWindow.TotalSeconds * Stopwatch.Frequency);
                while (sends.Count > 0 && now - sends.Peek() >= window) sends.Dequeue();
                if (sends.Count >= limits.ChatMessages)
                {
                    return (null, new FakeFault(429, $"Too Many Requests: retry after {limits.RetryAfterSeconds}", limits.RetryAfterSeconds));
                }
                sends.Enqueue(now);
            }
            var threadId = (int?)request.Long("message_thread_id");
            var message = new FakeMessage
            {
                MessageId = _nextMessageId++,
                ChatId = chatId,
                ThreadId = threadId,
                Text = text,
                ParseMode = parseMode,
                ReplyTo = request.Json("reply_parameters") is { } reply && reply.TryGetProperty("message_id", out var replyId) ? replyId.GetInt32() : null,
                LinkPreviewDisabled = request.Json("link_preview_options") is { } preview && preview.TryGetProperty("is_disabled", out var disabled) && disabled.GetBoolean(),
                Keyboard = Keyboard(request),
                FileName = file?.FileName,
                FileContent = file is { } f ? Encoding.UTF8.GetString(f.Content) : null,
            };
            _messages.Add(message);
            return (MessageJson(message), null);
        }
    }

    private (JsonNode?, FakeFault?) EditMessageText(FakeRequest request)
    {
        var chatId = request.String("chat_id") ?? "";
        var messageId = (int)(request.Long("message_id") ?? 0);
        var text = request.String("text") ?? "";
        var parseMode = request.String("parse_mode");
        if (string.Equals(parseMode, "HTML", StringComparison.OrdinalIgnoreCase) && FakeHtml.Parse(text).Error is { } parseError)
        {
            return (null, new FakeFault(400, "Bad Request: can't parse entities: " + parseError));
        }
        lock (_gate)
        {
            var index = _messages.FindIndex(m => m.ChatId == chatId && m.MessageId == messageId);
            if (index < 0) return (null, new FakeFault(400, "Bad Request: message to edit not found"));
            var keyboard = Keyboard(request);
            var current = _messages[index];
            if (current.Text == text && SameKeyboard(current.Keyboard, keyboard))
            {
                return (null, new FakeFault(400, "Bad Request: message is not modified: specified new message content and reply markup are exactly the same as a current content and reply markup of the message"));
            }
            _messages[index] = current with { Text = text, ParseMode = parseMode, Keyboard = keyboard, EditCount = current.EditCount + 1 };
            return (MessageJson(_messages[index]), null);
        }
    }

    private (JsonNode?, FakeFault?) AnswerCallback(FakeRequest request)
    {
        lock (_gate) _answers.Add(new FakeCallbackAnswer(request.String("callback_query_id") ?? "", request.String("text")));
        return (JsonValue.Create(true), null);
    }

    private (JsonNode?, FakeFault?) SetMyCommands(FakeRequest request)
    {
        MyCommands = request.Json("commands") is { } commands ? commands.Deserialize<List<BotCommand>>(JsonBotAPI.Options) ?? [] : [];
        return (JsonValue.Create(true), null);
    }

    private (JsonNode?, FakeFault?) SetWebhook(FakeRequest request)
    {
        WebhookUrl = request.String("url");
        WebhookSecret = request.String("secret_token");
        return (JsonValue.Create(true), null);
    }

    private (JsonNode?, FakeFault?) DeleteWebhook()
    {
        WebhookUrl = null;
        WebhookSecret = null;
        return (JsonValue.Create(true), null);
    }

    /// <summary>A file sent as the field itself or, as the Bot API also allows, referenced by "attach://name".</summary>
    private static (string FileName, byte[] Content)? AttachedFile(FakeRequest request, string field)
    {
        if (request.Files.TryGetValue(field, out var direct)) return direct;
        var reference = request.String(field);
        return reference is not null && reference.StartsWith("attach://", StringComparison.Ordinal) && request.Files.TryGetValue(reference["attach://".Length..], out var attached)
            ? attached
            : null;
    }

    private static List<IReadOnlyList<(string, string)>> Keyboard(FakeRequest request)
    {
        if (request.Json("reply_markup") is not { } markup || !markup.TryGetProperty("inline_keyboard", out var rows)) return [];
        return [.. rows.EnumerateArray().Select(row => (IReadOnlyList<(string, string)>)[.. row.EnumerateArray().Select(b =>
            (b.GetProperty("text").GetString() ?? "", b.TryGetProperty("callback_data", out var data) ? data.GetString() ?? "" : ""))])];
    }

    private static bool SameKeyboard(IReadOnlyList<IReadOnlyList<(string, string)>> a, IReadOnlyList<IReadOnlyList<(string, string)>> b) =>
        a.Count == b.Count && a.Zip(b).All(p => p.First.SequenceEqual(p.Second));

    private static JsonNode MessageJson(FakeMessage message)
    {
        var chatType = message.ChatId.StartsWith('-') ? ChatType.Supergroup : ChatType.Private;
        var sent = new Message
        {
            Id = message.MessageId,
            Date = DateTime.UtcNow,
            Chat = new Chat { Id = long.TryParse(message.ChatId, CultureInfo.InvariantCulture, out var id) ? id : 0, Type = chatType },
            From = new User { Id = BotId, IsBot = true, FirstName = "Hands", Username = BotUsername },
            Text = message.FileName is null ? message.Text : null,
            MessageThreadId = message.ThreadId,
        };
        return JsonSerializer.SerializeToNode(sent, JsonBotAPI.Options)!;
    }

    private static async Task WriteErrorAsync(HttpContext context, FakeFault fault)
    {
        context.Response.StatusCode = fault.Status;
        if (fault.HtmlBody)
        {
            context.Response.ContentType = "text/html";
            await context.Response.WriteAsync($"<html><body><h1>{fault.Status} {fault.Description}</h1></body></html>");
            return;
        }
        var body = new JsonObject { ["ok"] = false, ["error_code"] = fault.Status, ["description"] = fault.Description };
        if (fault.RetryAfter is { } retry) body["parameters"] = new JsonObject { ["retry_after"] = retry };
        if (fault.MigrateToChatId is { } newId) body["parameters"] = new JsonObject { ["migrate_to_chat_id"] = newId };
        context.Response.ContentType = "application/json";
        await context.Response.WriteAsync(body.ToJsonString());
    }

    private void Signal()
    {
        TaskCompletionSource previous;
        lock (_gate)
        {
            previous = _changed;
            _changed = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        }
        previous.TrySetResult();
    }

    public async ValueTask DisposeAsync()
    {
        if (_app is null) return;
        using (var stop = new CancellationTokenSource(TimeSpan.FromSeconds(2))) await _app.StopAsync(stop.Token);
        await _app.DisposeAsync();
    }
}
