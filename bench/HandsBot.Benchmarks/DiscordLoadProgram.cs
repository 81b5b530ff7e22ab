using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Text.Json;
using HandsBot.Core.Access;
using HandsBot.Core.Chat;
using HandsBot.Core.Configuration;
using HandsBot.Core.Delivery;
using HandsBot.Discord;
using HandsBot.Discord.Interactions;
using HandsBot.Discord.Rest;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;

namespace HandsBot.Benchmarks;

/// <summary>
/// Interaction latency: from an INTERACTION_CREATE dispatch's JSON being received to its callback
/// arriving at a loopback Discord stand-in, for /hands over 1,000 hands. The command service is a
/// stand-in that sorts and pages 1,000 hands like /hands does (the real ChatCommandService lives on
/// another branch).
/// </summary>
public sealed class DiscordLoadProgram : ILoadProgram
{
    public string Name => "discord-interactions";
    public string Description => "Discord interaction latency (dispatch received → callback sent) for /hands with 1,000 hands; p50/p99";

    public async Task<int> RunAsync(string[] args)
    {
        var iterations = args.Length > 0 ? int.Parse(args[0], CultureInfo.InvariantCulture) : 2000;
        const int warmup = 200;
        var arrivals = new long[iterations + warmup];
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseKestrel(o => o.Listen(IPAddress.Loopback, 0));
        builder.Logging.ClearProviders();
        await using var app = builder.Build();
        var received = new SemaphoreSlim(0);
        app.MapPost("/api/v10/interactions/{id}/{token}/callback", (string id) =>
        {
            arrivals[int.Parse(id, CultureInfo.InvariantCulture)] = Stopwatch.GetTimestamp();
            received.Release();
            return Results.NoContent();
        });
        await app.StartAsync();
        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();

        var options = Options.Create(new DiscordOptions { Token = "bench", ApplicationId = "1", ApiUrl = address + "/api/v10" });
        using var http = new HttpClient();
        var rest = new DiscordRestClient(http, options, TimeProvider.System, NullLogger<DiscordRestClient>.Instance);
        var handler = new DiscordInteractionHandler(Commands(), rest, TimeProvider.System, NullLogger<DiscordInteractionHandler>.Instance);

        var starts = new long[iterations + warmup];
        for (var i = 0; i < iterations + warmup; i++)
        {
            var dispatch = $$$"""{"id":"{{{i}}}","application_id":"1","type":2,"token":"tok{{{i}}}","guild_id":"5","channel_id":"6","member":{"user":{"id":"42","username":"ann"},"roles":["7"]},"data":{"name":"hands","type":1}}""";
            starts[i] = Stopwatch.GetTimestamp();
            var interaction = JsonSerializer.Deserialize(dispatch, DiscordJsonContext.Default.Interaction)!;
            await handler.HandleGatewayAsync(interaction, CancellationToken.None);
            if (!await received.WaitAsync(TimeSpan.FromSeconds(10))) throw new TimeoutException("callback not received");
        }

        var latencies = Enumerable.Range(warmup, iterations)
            .Select(i => Stopwatch.GetElapsedTime(starts[i], arrivals[i]).TotalMilliseconds)
            .Order()
            .ToArray();
        double P(double q) => latencies[Math.Min(latencies.Length - 1, (int)Math.Ceiling(q * latencies.Length) - 1)];
        Console.WriteLine($"discord-interactions: /hands with 1,000 hands, {iterations} interactions (after {warmup} warm-up)");
        Console.WriteLine(FormattableString.Invariant($"p50 {P(0.50):0.000} ms, p90 {P(0.90):0.000} ms, p99 {P(0.99):0.000} ms, max {latencies[^1]:0.000} ms (target p99 < 10 ms)"));
        await app.StopAsync();
        return P(0.99) < 10 ? 0 : 1;
    }

    /// <summary>A stand-in command service with 1,000 hands: /hands sorts them and renders the first page.</summary>
    /// <summary>
    /// The real command set over an engine of 1,000 hands (the Telegram fakes' engine, compiled in), so
    /// the figure includes building and rendering the /hands page.
    /// </summary>
    private static IChatCommandService Commands()
    {
#if HANDSBOT_TELEGRAM_FAKES
        var access = new AccessPolicy(
            Options.Create(new AccessOptions { Admins = ["discord:42"] }),
            Options.Create(new ChannelsOptions()),
            []);
        return new ChatCommandService(
            new HandsBot.Telegram.Tests.Fakes.FakeHandsEngine(1000, DateTimeOffset.UtcNow),
            access,
            new NullAuditStore(),
            TimeProvider.System,
            NullLogger<ChatCommandService>.Instance,
            Options.Create(new OutputOptions()));
#else
        return new ThousandHands();
#endif
    }

    private sealed class ThousandHands : IChatCommandService
    {
        private readonly (string Name, string Schedule, DateTimeOffset Next, bool Paused)[] _hands = Enumerable.Range(0, 1000)
            .Select(i => ($"hand-{(i * 7919) % 1000:0000}", i % 3 == 0 ? "daily at 07:00 Europe/Paris" : "every 15 minutes",
                DateTimeOffset.UnixEpoch.AddMinutes(i * 13), i % 10 == 0))
            .ToArray();

        public IReadOnlyList<CommandInfo> Commands { get; } = [new("hands", "/hands [page]", "List hands", false)];

        public Task<ChatReply> HandleCommandAsync(ChatCommand command, CancellationToken ct = default)
        {
            var page = _hands.OrderBy(h => h.Name, StringComparer.Ordinal).Take(8).ToList();
            var lines = page.Select(h => $"**{h.Name}** · {(h.Paused ? "paused" : "active")} · {h.Schedule} · next {h.Next:yyyy-MM-dd HH:mm}");
            var buttons = page.Chunk(2).Select(pair => (IReadOnlyList<ChatButton>)pair
                    .SelectMany(h => new[] { new ChatButton($"Run {h.Name}", $"run:{h.Name}", ButtonStyle.Primary), new ChatButton("Pause", $"pause:{h.Name}") })
                    .ToList())
                .Append([new ChatButton("Next ›", "hands:2")])
                .ToList();
            return Task.FromResult(new ChatReply { Markdown = $"**Hands** (1–8 of {_hands.Length})\n" + string.Join('\n', lines), Buttons = buttons });
        }

        public Task<ButtonReply> HandleButtonAsync(ButtonTap tap, CancellationToken ct = default)
            => Task.FromResult(new ButtonReply { Toast = "ok" });

        public Task<IReadOnlyList<string>> CompleteHandNamesAsync(string prefix, int max, CancellationToken ct = default)
            => Task.FromResult<IReadOnlyList<string>>(_hands.Select(h => h.Name).Where(n => n.StartsWith(prefix, StringComparison.Ordinal)).Take(max).ToList());
    }
}
