using Microsoft.Extensions.Configuration;
using HandsBot.Core.Configuration;
using HandsBot.Core.Chat;
using HandsBot.Core.Storage;
using HandsBot.Telegram.Receiving;
using HandsBot.Telegram.Sending;
using HandsBot.Telegram.Tests.Fakes;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace HandsBot.Telegram.Tests.Support;

/// <summary>
/// One "process" of the Telegram adapter wired with AddTelegram against a <see cref="FakeBotApi"/>.
/// Several harnesses may share the fake server and settings store to model restarts.
/// </summary>
public sealed class TelegramHarness : IAsyncDisposable
{
    private readonly ServiceProvider _services;
    private IHostedService? _receiver;

    public TelegramHarness(
        FakeBotApi api,
        InMemorySettingsStore? settings = null,
        FakeChatCommandService? commands = null,
        Action<TelegramOptions>? telegram = null,
        Action<TelegramAdapterOptions>? adapter = null,
        Action<ChannelsOptions>? channels = null,
        TimeProvider? time = null,
        Action<IServiceCollection>? configure = null)
    {
        Api = api;
        Settings = settings ?? new InMemorySettingsStore();
        Commands = commands ?? new FakeChatCommandService();
        var services = new ServiceCollection();
        services.AddLogging(b => b.SetMinimumLevel(LogLevel.Debug).AddProvider(Logs));
        services.AddSingleton<ISettingsStore>(Settings);
        services.AddSingleton<IChatCommandService>(Commands);
        if (time is not null) services.AddSingleton(time);
        services.Configure<TelegramOptions>(o =>
        {
            o.Token = api.Token;
            o.ApiUrl = api.BaseUrl;
            telegram?.Invoke(o);
        });
        services.Configure<TelegramAdapterOptions>(o =>
        {
            // Fast by default so tests run in seconds; tests that check pacing set their own.
            o.ChatMessages = 1000;
            o.GroupMessages = 1000;
            o.GlobalMessages = 1000;
            o.PollTimeout = TimeSpan.FromSeconds(2);
            o.ErrorCooldown = TimeSpan.FromMilliseconds(50);
            o.MaxErrorCooldown = TimeSpan.FromMilliseconds(200);
            adapter?.Invoke(o);
        });
        if (channels is not null) services.Configure(channels);
        // The options bind from IConfiguration, as in the host; here it is empty and tests configure them.
        services.AddSingleton<IConfiguration>(new ConfigurationBuilder().Build());
        services.AddTelegram();
        configure?.Invoke(services);
        _services = services.BuildServiceProvider(new ServiceProviderOptions { ValidateOnBuild = true, ValidateScopes = true });
    }

    public FakeBotApi Api { get; }
    public InMemorySettingsStore Settings { get; }
    public FakeChatCommandService Commands { get; }
    public ListLoggerProvider Logs { get; } = new();
    public IServiceProvider Services => _services;
    public TelegramChannel Channel => _services.GetRequiredService<TelegramChannel>();
    internal TelegramUpdateHandler Handler => _services.GetRequiredService<TelegramUpdateHandler>();
    internal TelegramSender Sender => _services.GetRequiredService<TelegramSender>();
    internal TelegramBot Bot => _services.GetRequiredService<TelegramBot>();

    /// <summary>Starts the receiver (polling or webhook service) registered by AddTelegram.</summary>
    public async Task StartAsync()
    {
        _receiver = _services.GetServices<IHostedService>().Single();
        await _receiver.StartAsync(CancellationToken.None);
    }

    public async Task StopAsync()
    {
        if (_receiver is null) return;
        await _receiver.StopAsync(CancellationToken.None);
        _receiver = null;
    }

    public async ValueTask DisposeAsync()
    {
        await StopAsync();
        await _services.DisposeAsync();
    }
}
