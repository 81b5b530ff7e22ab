using System.Collections.Concurrent;
using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Nodes;
using HandsBot.Core.Configuration;
using HandsBot.Core.Engine;
using HandsBot.Core.Manifest;
using HandsBot.Core.Registry;
using HandsBot.Core.Running;
using HandsBot.Core.Storage;
using HandsBot.Storage.Sqlite;
using HandsBot.Webhooks;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace HandsBot.Benchmarks;

/// <summary>
/// `webhook-load [deliveries] [hands] [senders] [rate]`: posts signed GitHub-style deliveries (1 % of
/// them repeats of an earlier delivery) twice — saturated by closed-loop senders (throughput), then at a
/// steady rate (latency) — to the real endpoint on Kestrel over the real engine and SQLite
/// store, with processes replaced by a no-op so the figure is HandsBot's own. Reports accepted calls a
/// second, request → 202 and request → run start (the worker handing the run to the process runner)
/// at p50/p99, and checks that no delivery started two runs and every repeat got the first run's id.
/// </summary>
public sealed class WebhookLoadProgram : ILoadProgram
{
    private const string Secret = "bench-secret";
    private const string SecretVariable = "HANDSBOT_BENCH_HOOK_SECRET";

    public string Name => "webhook-load";
    public string Description => "10,000 signed webhook deliveries (1 % repeats): accepted/s, p50/p99 request → 202 and → run start";

    public async Task<int> RunAsync(string[] args)
    {
        var deliveries = args.Length > 0 ? int.Parse(args[0], CultureInfo.InvariantCulture) : 10_000;
        var handCount = args.Length > 1 ? int.Parse(args[1], CultureInfo.InvariantCulture) : 100;
        var senders = args.Length > 2 ? int.Parse(args[2], CultureInfo.InvariantCulture) : 16;
        var rate = args.Length > 3 ? int.Parse(args[3], CultureInfo.InvariantCulture) : 200;
        Environment.SetEnvironmentVariable(SecretVariable, Secret);

        // Throughput: as many calls as the senders can make, each waiting for its answer.
        Console.WriteLine($"Saturated: {deliveries} deliveries from {senders} senders, each sending its next call when answered");
        var saturated = await MeasureAsync(deliveries, handCount, senders, rate: 0);
        // Latency: calls at a steady rate whatever the answers (no coordinated omission).
        Console.WriteLine($"Steady: {deliveries} deliveries at {rate} calls a second");
        var steady = await MeasureAsync(deliveries, handCount, senders, rate);
        return saturated && steady ? 0 : 1;
    }

    private static async Task<bool> MeasureAsync(int deliveries, int handCount, int senders, int rate)
    {
        var root = Path.Combine(Path.GetTempPath(), "handsbot-bench-hooks-" + Guid.NewGuid().ToString("N"));
        for (var i = 0; i < handCount; i++)
        {
            var dir = Path.Combine(root, "hands", $"hook{i:D3}");
            Directory.CreateDirectory(dir);
            await File.WriteAllTextAsync(Path.Combine(dir, "HAND.toml"),
                $"[hand]\ntrigger = \"webhook\"\noverlap = \"queue\"\n[run]\ncommand = [\"true\"]\n[webhook]\nsecret_env = \"{SecretVariable}\"\nscheme = \"github\"\nrate_limit = 1000000\nburst = 1000000\n[webhook.params]\nref = \"/ref\"\n");
        }

        var runner = new StampingRunner();
        var app = await StartAsync(root, runner);
        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        using var client = new HttpClient(new SocketsHttpHandler { MaxConnectionsPerServer = 256 }) { BaseAddress = new Uri(address) };

        // Warm-up: JIT, connection pool, SQLite pages (not counted).
        await SendAllAsync(client, Plan(200, handCount, "warm", repeats: 0), senders, 0, new ConcurrentDictionary<string, long>(), []);

        var plan = Plan(deliveries, handCount, "d", repeats: deliveries / 100);
        var sentAt = new ConcurrentDictionary<string, long>();
        var results = new ConcurrentBag<Result>();
        var wall = Stopwatch.StartNew();
        await SendAllAsync(client, plan, senders, rate, sentAt, results);
        wall.Stop();

        // Let the worker start what is still ready, then compare.
        var store = app.Services.GetRequiredService<IHandsStore>();
        var deadline = DateTime.UtcNow.AddSeconds(60);
        while ((await store.ListActiveRunsAsync()).Count > 0 && DateTime.UtcNow < deadline) await Task.Delay(50);

        var all = results.ToList();
        var accepted = all.Where(r => r.Status == HttpStatusCode.Accepted).ToList();
        var toAccepted = accepted.Select(r => r.Milliseconds).Order().ToList();
        var firstRun = accepted.Where(r => !r.Repeat).ToDictionary(r => r.Delivery, r => r.RunId);
        var repeats = plan.Count(p => p.Repeat);
        var repeatsSame = accepted.Where(r => r.Repeat).Count(r => firstRun.GetValueOrDefault(r.Delivery) == r.RunId && r.Answer == "duplicate");
        var runToDelivery = accepted.Where(r => !r.Repeat).ToDictionary(r => r.RunId, r => r.Delivery);
        var toStart = runner.Started.Where(s => runToDelivery.ContainsKey(s.Key))
            .Select(s => Stopwatch.GetElapsedTime(sentAt[runToDelivery[s.Key]], s.Value).TotalMilliseconds).Order().ToList();
        var runsPerDelivery = new Dictionary<string, int>();
        for (var i = 0; i < handCount; i++)
        {
            foreach (var run in await store.ListExecutionsAsync($"hook{i:D3}", 100_000))
            {
                if (run.DeliveryId is { } id && id.StartsWith("d-", StringComparison.Ordinal)) runsPerDelivery[id] = runsPerDelivery.GetValueOrDefault(id) + 1;
            }
        }
        var doubled = runsPerDelivery.Count(p => p.Value > 1);
        var startedTwice = runner.Calls.Values.Count(c => c > 1);

        Console.WriteLine($"  {deliveries} deliveries ({repeats} repeats) to {handCount} hooks in {wall.Elapsed.TotalSeconds:0.00} s");
        Console.WriteLine($"  accepted: {accepted.Count} ({accepted.Count / wall.Elapsed.TotalSeconds:0} /s); other answers: {string.Join(", ", all.Where(r => r.Status != HttpStatusCode.Accepted).GroupBy(r => (int)r.Status).Select(g => $"{g.Key} × {g.Count()}"))}");
        Console.WriteLine($"  answers: {string.Join(", ", accepted.GroupBy(r => r.Answer).OrderBy(g => g.Key).Select(g => $"{g.Key} {g.Count()}"))}");
        Console.WriteLine($"  request → 202: p50 {Percentile(toAccepted, 0.50):0.00} ms, p99 {Percentile(toAccepted, 0.99):0.00} ms, max {toAccepted.LastOrDefault():0.00} ms (target p99 < 20 ms)");
        Console.WriteLine($"  request → run start: {toStart.Count} runs, p50 {Percentile(toStart, 0.50):0.00} ms, p99 {Percentile(toStart, 0.99):0.00} ms, max {toStart.LastOrDefault():0.00} ms");
        Console.WriteLine($"  repeats answered with the first run's id: {repeatsSame} of {repeats}; deliveries with more than one run: {doubled}; runs started twice: {startedTwice}");
        await app.StopAsync();
        await app.DisposeAsync();
        try
        {
            Directory.Delete(root, recursive: true);
        }
        catch (IOException)
        {
        }
        return doubled == 0 && startedTwice == 0 && repeatsSame == repeats;
    }

    private sealed record Delivery(string Id, string Hand, byte[] Body, bool Repeat);

    private sealed record Result(string Delivery, bool Repeat, HttpStatusCode Status, string RunId, string Answer, double Milliseconds);

    /// <summary>Deliveries round-robin over the hooks; each repeat re-sends an earlier delivery, after it, byte for byte.</summary>
    private static List<Delivery> Plan(int count, int hands, string prefix, int repeats)
    {
        var random = new Random(7);
        var plan = new List<Delivery>(count);
        for (var i = 0; i < count - repeats; i++)
        {
            var body = Encoding.UTF8.GetBytes(new JsonObject { ["ref"] = "refs/heads/main", ["after"] = Convert.ToHexString(RandomNumberGenerator.GetBytes(20)), ["n"] = i }.ToJsonString());
            plan.Add(new Delivery($"{prefix}-{i}", $"hook{i % hands:D3}", body, false));
        }
        for (var r = 0; r < repeats; r++)
        {
            // Spread through the run, each well after its original (the original completes before the repeat is sent: see SendAllAsync).
            var original = plan[random.Next(plan.Count / 2)];
            plan.Insert(Math.Min(plan.Count, plan.IndexOf(original) + 200 + random.Next(plan.Count / 2)), original with { Repeat = true });
        }
        return plan;
    }

    /// <summary>
    /// Closed loop (<paramref name="rate"/> 0): <paramref name="senders"/> senders, each sending its next
    /// call when answered. Open loop: one call every 1/rate s, whatever the answers.
    /// </summary>
    private static async Task SendAllAsync(HttpClient client, List<Delivery> plan, int senders, int rate, ConcurrentDictionary<string, long> sentAt, ConcurrentBag<Result> results)
    {
        var answered = new ConcurrentDictionary<string, TaskCompletionSource>();
        foreach (var d in plan.Where(d => !d.Repeat)) answered[d.Id] = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        if (rate > 0)
        {
            var clock = Stopwatch.StartNew();
            var calls = new List<Task>(plan.Count);
            for (var i = 0; i < plan.Count; i++)
            {
                var due = TimeSpan.FromSeconds(i / (double)rate);
                if (due > clock.Elapsed) await Task.Delay(due - clock.Elapsed);
                calls.Add(SendOneAsync(client, plan[i], sentAt, results, answered));
            }
            await Task.WhenAll(calls);
            return;
        }
        var next = -1;
        await Task.WhenAll(Enumerable.Range(0, senders).Select(async _ =>
        {
            int i;
            while ((i = Interlocked.Increment(ref next)) < plan.Count) await SendOneAsync(client, plan[i], sentAt, results, answered);
        }));
    }

    private static async Task SendOneAsync(HttpClient client, Delivery d, ConcurrentDictionary<string, long> sentAt, ConcurrentBag<Result> results, ConcurrentDictionary<string, TaskCompletionSource> answered)
    {
        // A repeat follows its original's answer, as a sender's retry would.
        if (d.Repeat) await answered[d.Id].Task;
        using var request = new HttpRequestMessage(HttpMethod.Post, "/hooks/" + d.Hand) { Content = new ByteArrayContent(d.Body) };
        request.Content.Headers.ContentType = new("application/json");
        request.Headers.Add("X-GitHub-Delivery", d.Id);
        request.Headers.Add("X-Hub-Signature-256", "sha256=" + Convert.ToHexString(HMACSHA256.HashData(Encoding.UTF8.GetBytes(Secret), d.Body)).ToLowerInvariant());
        var start = Stopwatch.GetTimestamp();
        if (!d.Repeat) sentAt[d.Id] = start;
        using var response = await client.SendAsync(request);
        var text = await response.Content.ReadAsStringAsync();
        var elapsed = Stopwatch.GetElapsedTime(start).TotalMilliseconds;
        var json = response.StatusCode == HttpStatusCode.Accepted ? JsonNode.Parse(text) : null;
        results.Add(new Result(d.Id, d.Repeat, response.StatusCode, (string?)json?["run_id"] ?? "", (string?)json?["status"] ?? "", elapsed));
        if (!d.Repeat) answered[d.Id].TrySetResult();
    }

    private static async Task<WebApplication> StartAsync(string root, IProcessRunner runner)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseKestrel(o => o.Listen(IPAddress.Loopback, 0));
        builder.Logging.ClearProviders().AddSimpleConsole().SetMinimumLevel(LogLevel.Warning);
        var services = builder.Services;
        services.AddSingleton(Options.Create(new AccessOptions()));
        services.AddSingleton(Options.Create(new ChannelsOptions()));
        services.AddSingleton(Options.Create(new OutputOptions()));
        services.AddSingleton(Options.Create(new SchedulerOptions { MaxConcurrentRuns = 64 }));
        services.AddSingleton(Options.Create(new StorageOptions()));
        services.AddSingleton(runner);
        services.AddSqliteStore(Path.Combine(root, "data", "handsbot.db"));
        services.AddHandsBotEngine(
            new HandRegistrySettings(Path.Combine(root, "hands"), new HandLoadContext { DisplayRoot = root }),
            new EnginePaths(root, Path.Combine(root, "data")),
            scheduling: false);
        services.AddWebhooks();
        var app = builder.Build();
        app.MapHandWebhooks();
        await app.StartAsync();
        return app;
    }

    private static double Percentile(List<double> sorted, double p) =>
        sorted.Count == 0 ? double.NaN : sorted[Math.Min(sorted.Count - 1, (int)Math.Ceiling(p * sorted.Count) - 1)];

    /// <summary>Finishes at once and notes when each run reached it, and how often.</summary>
    private sealed class StampingRunner : IProcessRunner
    {
        public ConcurrentDictionary<string, long> Started { get; } = new();
        public ConcurrentDictionary<string, int> Calls { get; } = new();

        public Task<ProcessResult> RunAsync(ProcessSpec spec, CancellationToken ct)
        {
            var at = Stopwatch.GetTimestamp();
            if (spec.Environment.TryGetValue("HAND_RUN_ID", out var id))
            {
                Started.TryAdd(id, at);
                Calls.AddOrUpdate(id, 1, (_, n) => n + 1);
            }
            var now = DateTimeOffset.UtcNow;
            return Task.FromResult(new ProcessResult { ExitCode = 0, Stdout = "", StderrTail = "", StartedAt = now, CompletedAt = now });
        }
    }
}
