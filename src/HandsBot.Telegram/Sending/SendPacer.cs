namespace HandsBot.Telegram.Sending;

/// <summary>
/// Delays sends so Telegram never has to refuse them: a sliding-window limit per chat, per group
/// (negative chat ids) and overall, on <see cref="TimeProvider"/>. A 429 blocks that chat only.
/// Callers keep order within a chat by sending to it one message at a time (the channel does).
/// </summary>
internal sealed class SendPacer
{
    private readonly TelegramAdapterOptions _options;
    private readonly TimeProvider _time;
    private readonly Lock _gate = new();
    private readonly Window _global;
    private readonly Dictionary<string, Window> _chats = new(StringComparer.Ordinal);
    private readonly Dictionary<string, Window> _groups = new(StringComparer.Ordinal);
    private readonly Dictionary<string, DateTimeOffset> _blockedUntil = new(StringComparer.Ordinal);

    public SendPacer(TelegramAdapterOptions options, TimeProvider time)
    {
        _options = options;
        _time = time;
        _global = new Window(options.GlobalMessages, options.GlobalWindow);
    }

    /// <summary>Waits until a message to <paramref name="chatId"/> may be sent, and counts it.</summary>
    public async Task WaitAsync(string chatId, CancellationToken ct)
    {
        while (true)
        {
            var (reserved, wait) = TryReserve(chatId);
            if (wait > TimeSpan.Zero) await Task.Delay(wait, _time, ct).ConfigureAwait(false);
            if (reserved) return;
        }
    }

    /// <summary>
    /// Takes a slot when the chat's own limits allow it now (returning the wait for a global slot),
    /// otherwise returns how long until they might. Waiting for the chat first, without reserving,
    /// keeps a chat blocked for a while from holding global slots other chats could use.
    /// </summary>
    public (bool Reserved, TimeSpan Wait) TryReserve(string chatId)
    {
        lock (_gate)
        {
            var now = _time.GetUtcNow();
            var chat = GetWindow(_chats, chatId, _options.ChatMessages, _options.ChatWindow);
            var group = IsGroup(chatId) ? GetWindow(_groups, chatId, _options.GroupMessages, _options.GroupWindow) : null;

            var chatReady = chat.NextFree();
            if (group is not null) chatReady = Max(chatReady, group.NextFree());
            if (_blockedUntil.TryGetValue(chatId, out var blocked))
            {
                if (blocked > now) chatReady = Max(chatReady, blocked);
                else _blockedUntil.Remove(chatId);
            }
            if (chatReady > now) return (false, chatReady - now);

            // Every start is max(now, global) so each window's starts only ever grow.
            var start = Max(now, _global.NextFree());
            chat.Add(start);
            group?.Add(start);
            _global.Add(start);
            return (true, start - now);
        }
    }

    /// <summary>Honours a 429 for one chat: nothing more goes to it until the wait is over.</summary>
    public void Block(string chatId, TimeSpan retryAfter)
    {
        lock (_gate)
        {
            var until = _time.GetUtcNow() + retryAfter;
            if (!_blockedUntil.TryGetValue(chatId, out var current) || current < until) _blockedUntil[chatId] = until;
        }
    }

    /// <summary>Groups, supergroups and channels have negative ids; "@name" targets are public channels.</summary>
    internal static bool IsGroup(string chatId) => chatId.StartsWith('-') || chatId.StartsWith('@');

    private static Window GetWindow(Dictionary<string, Window> windows, string key, int limit, TimeSpan span)
    {
        if (!windows.TryGetValue(key, out var window)) windows[key] = window = new Window(limit, span);
        return window;
    }

    private static DateTimeOffset Max(DateTimeOffset a, DateTimeOffset b) => a > b ? a : b;

    /// <summary>The start times of the last <c>limit</c> sends: the next may start one window after the oldest.</summary>
    private sealed class Window(int limit, TimeSpan span)
    {
        private readonly Queue<DateTimeOffset> _starts = new();
        private readonly int _limit = Math.Max(1, limit);

        public DateTimeOffset NextFree() => _starts.Count < _limit ? DateTimeOffset.MinValue : _starts.Peek() + span;

        public void Add(DateTimeOffset start)
        {
            if (_starts.Count == _limit) _starts.Dequeue();
            _starts.Enqueue(start);
        }
    }
}
