using System.Collections.Concurrent;
using HandsBot.Core.Storage;

namespace HandsBot.Telegram.Sending;

/// <summary>
/// Chats the bot was removed from (left or kicked), persisted in <see cref="ISettingsStore"/> so a
/// restart still knows, and cached so sends do not read the store each time.
/// </summary>
internal sealed class ChatMembership(ISettingsStore settings)
{
    private const string KeyPrefix = "telegram:removed:";
    private readonly ConcurrentDictionary<string, string?> _cache = new(StringComparer.Ordinal);

    /// <summary>Why the bot is no longer in the chat (e.g. "kicked by Ann on 2026-11-23"), or null when it is.</summary>
    public async ValueTask<string?> RemovedReasonAsync(string chatId, CancellationToken ct)
    {
        if (_cache.TryGetValue(chatId, out var cached)) return cached;
        var stored = await settings.GetSettingAsync(KeyPrefix + chatId, ct).ConfigureAwait(false);
        return _cache.GetOrAdd(chatId, stored);
    }

    public async Task MarkRemovedAsync(string chatId, string reason, CancellationToken ct)
    {
        await settings.SetSettingAsync(KeyPrefix + chatId, reason, ct).ConfigureAwait(false);
        _cache[chatId] = reason;
    }

    public async Task MarkPresentAsync(string chatId, CancellationToken ct)
    {
        await settings.DeleteSettingAsync(KeyPrefix + chatId, ct).ConfigureAwait(false);
        _cache[chatId] = null;
    }
}
