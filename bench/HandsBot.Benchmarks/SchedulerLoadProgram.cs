using System.Diagnostics;
using System.Globalization;
using HandsBot.Core.Configuration;
using HandsBot.Core.Delivery;
using HandsBot.Core.Engine;
using HandsBot.Core.Manifest;
using HandsBot.Core.Registry;
using HandsBot.Core.Running;
using HandsBot.Storage.Sqlite;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace HandsBot.Benchmarks;

/// <summary>
/// `scheduler-lag [hands] [seconds]`: schedules 10,000 hands on the real scheduler, SQLite store and
/// run worker, with processes replaced by a no-op so the figure is the engine's own: fire lag = when a
/// slot was admitted as a run row − the slot's time; runner-start lag = when the worker called the
/// process runner for that run − the slot's time. Two loads: "typical" (half cron every 5 minutes at a
/// random second, half intervals of 5–60 minutes: about 20 fires/s) and "busy" (half cron every minute,
/// half intervals of 5–60 s: about 300 fires/s). Then 10,000 hands due tomorrow, to measure idle CPU.
/// </summary>
public sealed class SchedulerLoadProgram : ILoadProgram
{
    public string Name => "scheduler-lag";
    public string Description => "Fire lag p50/p99 for 10,000 scheduled hands, and idle CPU";

    public async Task<int> RunAsync(string[] args)
    {
        var hands = args.Length > 0 ? int.Parse(args[0], CultureInfo.InvariantCulture) : 10_000;
        var seconds = args.Length > 1 ? int.Parse(args[1], CultureInfo.InvariantCulture) : 60;

        foreach (var load in new[] { Load.Typical, Load.Busy })
        {
            Console.WriteLine($"{load}: {hands} hands (cron + interval) for {seconds} s");
            var (lags, starts) = await MeasureLagAsync(hands, seconds, load);
            lags.Sort();
            starts.Sort();
            Console.WriteLine($"  fires: {lags.Count} ({lags.Count / (double)seconds:0} /s), lag p50 {Percentile(lags, 0.50):0.0} ms, p99 {Percentile(lags, 0.99):0.0} ms, max {lags.LastOrDefault():0.0} ms (target p99 < 50 ms)");
            Console.WriteLine($"  runner starts: {starts.Count}, lag p50 {Percentile(starts, 0.50):0.0} ms, p99 {Percentile(starts, 0.99):0.0} ms, max {starts.LastOrDefault():0.0} ms");
        }

        Console.WriteLine($"Idle: {hands} hands due tomorrow, measured for 20 s");
        await MeasureLagAsync(hands, 20, Load.Idle);
        return 0;
    }

    private enum Load { Typical, Busy, Idle }

    private static async Task<(List<double> Fires, List<double> Starts)> MeasureLagAsync(int count, int seconds, Load load)
    {
        var root = Path.Combine(Path.GetTempPath(), "handsbot-bench-scheduler-" + Guid.NewGuid().ToString("N"));
        var handsDir = Path.Combine(root, "hands");
        var random = new Random(42);
        for (var i = 0; i < count; i++)
        {
            var dir = Path.Combine(handsDir, $"h{i:D5}");
            Directory.CreateDirectory(dir);
            string schedule;
            schedule = (load, i % 2) switch
            {
                (Load.Idle, _) => $"[hand.schedule]\ncron = \"{random.Next(60)} {random.Next(24)} * * *\"\n",
                (Load.Busy, 0) => $"[hand.schedule]\ncron = \"{random.Next(60)} * * * * *\"\n",
                (Load.Busy, _) => $"[hand.schedule]\ninterval = {random.Next(5, 61)}\n",
                (_, 0) => $"[hand.schedule]\ncron = \"{random.Next(60)} {random.Next(5)}-59/5 * * * *\"\n",
                _ => $"[hand.schedule]\ninterval = {random.Next(300, 3601)}\n",
            };
            await File.WriteAllTextAsync(Path.Combine(dir, "HAND.toml"), $"[hand]\nname = \"h{i:D5}\"\n{schedule}[run]\ncommand = [\"true\"]\n[output]\nchannel = \"console\"\n");
        }

        var services = new ServiceCollection();
        services.AddLogging(b => b.SetMinimumLevel(LogLevel.Warning).AddSimpleConsole());
        services.AddSingleton(Options.Create(new AccessOptions()));
        services.AddSingleton(Options.Create(new ChannelsOptions()));
        services.AddSingleton(Options.Create(new OutputOptions()));
        services.AddSingleton(Options.Create(new SchedulerOptions { MaxConcurrentRuns = 64 }));
        services.AddSingleton(Options.Create(new StorageOptions()));
        var runner = new NoopProcessRunner(TimeProvider.System);
        services.AddSingleton<IProcessRunner>(runner);
        services.AddSqliteStore(Path.Combine(root, "data", "handsbot.db"));
        services.AddHandsBotEngine(
            new HandRegistrySettings(handsDir, new HandLoadContext { ChannelNames = new HashSet<string>(), DisplayRoot = root }),
            new EnginePaths(root, Path.Combine(root, "data")));
        await using var provider = services.BuildServiceProvider();
        await provider.GetRequiredService<EngineStartup>().StartAsync(CancellationToken.None);
        var worker = provider.GetRequiredService<RunWorker>();
        await worker.StartAsync(CancellationToken.None);
        var scheduler = provider.GetRequiredService<Scheduler>();
        var slots = new System.Collections.Concurrent.ConcurrentDictionary<string, DateTimeOffset>();
        var lags = new List<double>();
        var gate = new Lock();
        // The first seconds include JIT and connection warm-up; they are reported apart.
        var measureFrom = DateTimeOffset.UtcNow.AddSeconds(5);
        var warmup = new List<double>();
        scheduler.Handled += h =>
        {
            if (h.Admitted is not { } admitted) return;
            if (h.Slot >= measureFrom) slots[admitted.ExecutionId] = h.Slot;
            var lag = (h.HandledAt - h.Slot).TotalMilliseconds;
            lock (gate) (h.Slot < measureFrom ? warmup : lags).Add(lag);
        };

        await scheduler.StartAsync(CancellationToken.None);
        await scheduler.Ready;
        var process = Process.GetCurrentProcess();
        process.Refresh();
        var cpuBefore = process.TotalProcessorTime;
        var wall = Stopwatch.StartNew();
        await Task.Delay(TimeSpan.FromSeconds(seconds));
        process.Refresh();
        var cpu = process.TotalProcessorTime - cpuBefore;
        await scheduler.StopAsync(CancellationToken.None);
        await worker.StopAsync(CancellationToken.None);
        var starts = runner.Started.Where(s => slots.ContainsKey(s.Key)).Select(s => (s.Value - slots[s.Key]).TotalMilliseconds).ToList();
        if (warmup.Count > 0) Console.WriteLine($"  warm-up (first 5 s, not counted): {warmup.Count} fires, max lag {warmup.Max():0.0} ms");
        Console.WriteLine($"  process CPU {cpu.TotalMilliseconds:0} ms over {wall.Elapsed.TotalSeconds:0.0} s wall = {100 * cpu.TotalMilliseconds / wall.Elapsed.TotalMilliseconds:0.00}% of one core");
        try
        {
            Directory.Delete(root, recursive: true);
        }
        catch (IOException)
        {
        }
        lock (gate) return ([.. lags], starts);
    }

    private static double Percentile(List<double> sorted, double p) =>
        sorted.Count == 0 ? double.NaN : sorted[Math.Min(sorted.Count - 1, (int)Math.Ceiling(p * sorted.Count) - 1)];

    /// <summary>Finishes at once: the benchmark measures the scheduler, not process start-up.</summary>
    private sealed class NoopProcessRunner(TimeProvider time) : IProcessRunner
    {
        /// <summary>When each run (HAND_RUN_ID) reached the runner.</summary>
        public System.Collections.Concurrent.ConcurrentDictionary<string, DateTimeOffset> Started { get; } = new();

        public Task<ProcessResult> RunAsync(ProcessSpec spec, CancellationToken ct)
        {
            var now = time.GetUtcNow();
            if (spec.Environment.TryGetValue("HAND_RUN_ID", out var id)) Started[id] = now;
            return Task.FromResult(new ProcessResult { ExitCode = 0, Stdout = "", StderrTail = "", StartedAt = now, CompletedAt = now });
        }
    }
}
