using HandsBot.Core.Chat;
using HandsBot.Core.Configuration;
using HandsBot.Core.Engine;
using HandsBot.Core.Storage;
using HandsBot.Telegram.Tests.Fakes;
using HandsBot.Telegram.Tests.Support;
using Microsoft.Extensions.DependencyInjection;

namespace HandsBot.Telegram.Tests;

/// <summary>The adapter with the real ChatCommandService and renderer: Telegram accepts what they produce.</summary>
public sealed class RealCommandServiceTests : IAsyncLifetime
{
    private readonly FakeBotApi _api = new();
    private readonly FakeHandsEngine _engine = new(20, DateTimeOffset.UtcNow);
    private TelegramHarness _bot = null!;

    public async Task InitializeAsync()
    {
        await _api.StartAsync();
        _bot = new TelegramHarness(_api, configure: services =>
        {
            services.AddSingleton<IHandsEngine>(_engine);
            services.AddSingleton<IAuditStore, ListAuditStore>();
            services.Configure<AccessOptions>(o => o.Admins.Add("telegram:42"));
            services.AddSingleton<IChatCommandService, ChatCommandService>();
            services.AddChatCommands();
        });
        await _bot.StartAsync();
    }

    public async Task DisposeAsync()
    {
        await _bot.DisposeAsync();
        await _api.DisposeAsync();
    }

    [Fact]
    public async Task Hands_IsAValidHtmlPageWithButtons_AndNextEditsItToPage2()
    {
        _api.Enqueue(FakeUpdates.Text(FakeUpdates.PrivateChat(42), FakeUpdates.Person(42), "/hands"));
        await _api.WaitUntilAsync(a => a.MessagesIn("42").Count == 1, "the listing");
        var listing = _api.MessagesIn("42")[0];

        Assert.Equal("HTML", listing.ParseMode, ignoreCase: true);
        Assert.Contains("hand-0001", listing.Text);
        Assert.DoesNotContain("hand-0009", listing.Text);
        var buttons = listing.Keyboard.SelectMany(r => r).ToList();
        Assert.All(buttons, b => Assert.InRange(System.Text.Encoding.UTF8.GetByteCount(b.Data), 1, 64));
        var next = Assert.Single(buttons, b => b.Text.StartsWith("Next", StringComparison.Ordinal));

        _api.Enqueue(FakeUpdates.Tap(FakeUpdates.PrivateChat(42), FakeUpdates.Person(42), listing.MessageId, next.Data));
        await _api.WaitUntilAsync(a => a.MessagesIn("42")[0].EditCount == 1, "page 2");

        Assert.Contains("hand-0009", _api.MessagesIn("42")[0].Text);
        Assert.Single(_api.CallbackAnswers);
    }

    [Fact]
    public async Task Run_ByAStranger_IsRefused_AndByAnAdmin_StartsTheHandWithTheReplyTarget()
    {
        _api.Enqueue(FakeUpdates.Text(FakeUpdates.Group(-500), FakeUpdates.Person(666, "Mallory"), "/run hand-0001"));
        _api.Enqueue(FakeUpdates.Text(FakeUpdates.Group(-500), FakeUpdates.Person(42, "Ann"), "/run@HandsTestBot hand-0001", topicId: null));

        await _api.WaitUntilAsync(a => a.MessagesIn("-500").Count == 2, "two replies");

        var (hand, request) = Assert.Single(_engine.Triggers);
        Assert.Equal("hand-0001", hand);
        Assert.Equal("telegram:-500", request.ReplyTo?.ToString());
        Assert.NotEqual(_api.MessagesIn("-500")[0].Text, _api.MessagesIn("-500")[1].Text);
    }

    private sealed class ListAuditStore : IAuditStore
    {
        private readonly System.Collections.Concurrent.ConcurrentQueue<AuditEntry> _entries = new();
        public Task AppendAuditAsync(AuditEntry entry, CancellationToken ct = default)
        {
            _entries.Enqueue(entry);
            return Task.CompletedTask;
        }

        public Task<IReadOnlyList<AuditEntry>> ListAuditAsync(int limit, CancellationToken ct = default) =>
            Task.FromResult<IReadOnlyList<AuditEntry>>([.. _entries.Reverse().Take(limit)]);
    }
}
