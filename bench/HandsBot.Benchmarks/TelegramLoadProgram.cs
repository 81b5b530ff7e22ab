using Microsoft.Extensions.Configuration;
#if HANDSBOT_TELEGRAM_FAKES
using System.Diagnostics;
using System.Globalization;
using HandsBot.Core.Chat;
using HandsBot.Core.Configuration;
using HandsBot.Core.Engine;
using HandsBot.Core.Storage;
using HandsBot.Telegram;
using HandsBot.Telegram.Receiving;
using HandsBot.Telegram.Tests.Fakes;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Telegram.Bot.Types;
#endif

namespace HandsBot.Benchmarks;

/// <summary>
/// "telegram-hands": N /hands updates long-polled from the in-process fake Bot API, answered by the real
/// ChatCommandService over an engine of 1,000 hands; reports throughput and p50/p99 latency from the
/// update reaching the adapter to its reply being accepted by the (fake) Bot API.
/// </summary>
public sealed class TelegramLoadProgram : ILoadProgram
{
    public string Name => "telegram-hands";
    public string Description => "10,000 /hands updates through the fake Bot API (1,000 hands): throughput and p50/p99 update-to-reply latency";

#if HANDSBOT_TELEGRAM_FAKES
    public async Task<int> RunAsync(string[] args)
    {
        var updates = Option(args, "--updates", 10_000);
        var hands = Option(args, "--hands", 1_000);
        var warmup = Option(args, "--warmup", 500);

        await using var api = await new FakeBotApi().StartAsync();
        await using var services = Services(api, hands);
        var handler = services.GetRequiredService<TelegramUpdateHandler>();
        var receiver = services.GetServices<IHostedService>().Single();

        var latencies = new List<double>(updates);
        var counted = 0;
        var done = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var measuring = false;
        var expected = warmup;
        handler.Handled += (_, elapsed) =>
        {
            lock (latencies)
            {
                if (measuring) latencies.Add(elapsed.TotalMilliseconds);
                if (++counted == expected) done.TrySetResult();
            }
        };

        await receiver.StartAsync(CancellationToken.None);
        Enqueue(api, warmup);
        await done.Task.WaitAsync(TimeSpan.FromMinutes(5));

        lock (latencies)
        {
            measuring = true;
            counted = 0;
            expected = updates;
            done = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        }
        var sentBefore = api.Messages.Count;
        var clock = Stopwatch.StartNew();
        Enqueue(api, updates);
        await done.Task.WaitAsync(TimeSpan.FromMinutes(10));
        clock.Stop();
        await receiver.StopAsync(CancellationToken.None);

        latencies.Sort();
        var p50 = Percentile(latencies, 0.50);
        var p99 = Percentile(latencies, 0.99);
        var replies = api.Messages.Count - sentBefore;
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"telegram-hands: {updates} /hands updates, {hands} hands, {replies} replies sent, {api.TooManyRequestsSent} x 429"));
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"  elapsed {clock.Elapsed.TotalSeconds:F2} s, throughput {updates / clock.Elapsed.TotalSeconds:F0} updates/s"));
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"  update-to-reply latency: p50 {p50:F2} ms, p99 {p99:F2} ms, max {latencies[^1]:F2} ms (target p99 < 10 ms: {(p99 < 10 ? "met" : "NOT met")})"));
        return replies >= updates ? 0 : 1;
    }

    private static ServiceProvider Services(FakeBotApi api, int hands)
    {
        var services = new ServiceCollection();
        services.AddLogging();
        services.AddSingleton<ISettingsStore>(new InMemorySettingsStore());
        services.AddSingleton<IAuditStore>(new NullAuditStore());
        services.AddSingleton<IHandsEngine>(new FakeHandsEngine(hands, DateTimeOffset.UtcNow));
        services.Configure<AccessOptions>(o => o.Admins.Add("telegram:42"));
        services.Configure<TelegramOptions>(o =>
        {
            o.Token = api.Token;
            o.ApiUrl = api.BaseUrl;
        });
        // One chat receiving 10,000 replies would take hours at Telegram's real 1 msg/s: pacing is off here
        // (its cost is a lock and a queue per send) so the figure is the adapter's own overhead.
        services.Configure<TelegramAdapterOptions>(o =>
        {
            o.ChatMessages = o.GroupMessages = o.GlobalMessages = 1_000_000;
            o.PollTimeout = TimeSpan.FromSeconds(1);
        });
        services.AddChatCommands();
        services.AddSingleton<IConfiguration>(new ConfigurationBuilder().Build());
        services.AddTelegram();
        return services.BuildServiceProvider();
    }

    private static void Enqueue(FakeBotApi api, int count)
    {
        var chat = FakeUpdates.PrivateChat(42);
        var user = FakeUpdates.Person(42, "Bench");
        for (var i = 0; i < count; i++) api.Enqueue(FakeUpdates.Text(chat, user, "/hands"));
    }

    private static double Percentile(List<double> sorted, double p) =>
        sorted.Count == 0 ? double.NaN : sorted[Math.Min(sorted.Count - 1, (int)Math.Ceiling(p * sorted.Count) - 1)];

    private static int Option(string[] args, string name, int fallback)
    {
        var i = Array.IndexOf(args, name);
        return i >= 0 && i + 1 < args.Length && int.TryParse(args[i + 1], CultureInfo.InvariantCulture, out var value) ? value : fallback;
    }

#else
    public Task<int> RunAsync(string[] args)
    {
        Console.Error.WriteLine("telegram-hands needs the Telegram fake Bot API compiled in: add to bench/HandsBot.Benchmarks/HandsBot.Benchmarks.csproj");
        Console.Error.WriteLine("  <Compile Include=\"../../tests/HandsBot.Telegram.Tests/Fakes/**/*.cs\" LinkBase=\"TelegramFakes\" /> and <DefineConstants>$(DefineConstants);HANDSBOT_TELEGRAM_FAKES</DefineConstants>");
        return Task.FromResult(2);
    }
#endif
}
