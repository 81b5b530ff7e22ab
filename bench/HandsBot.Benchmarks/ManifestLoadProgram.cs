using System.Diagnostics;
using System.Globalization;
using HandsBot.Core.Manifest;

namespace HandsBot.Benchmarks;

/// <summary>
/// Generates N hands (default 10,000; pass a number to change it) with varied schedules, gates and tools,
/// then times HandLoader.LoadAll cold (first call: JIT, disk cache as the OS left it) and warm (best of 3).
/// </summary>
public sealed class ManifestLoadProgram : ILoadProgram
{
    public string Name => "manifest-load";
    public string Description => "Generate 10,000 hands and time HandLoader.LoadAll (cold and warm); target < 3 s";

    public Task<int> RunAsync(string[] args)
    {
        var count = args.Length > 0 && int.TryParse(args[0], NumberStyles.Integer, CultureInfo.InvariantCulture, out var n) && n > 0 ? n : 10_000;
        var root = Path.Combine(Path.GetTempPath(), "handsbot-manifest-load-" + Guid.NewGuid().ToString("N"));
        var hands = Path.Combine(root, "hands");
        try
        {
            var generate = Stopwatch.StartNew();
            Generate(hands, Path.Combine(root, "tools"), count);
            Console.WriteLine($"generated {count} hands in {generate.Elapsed.TotalMilliseconds:0} ms under {root}");

            var context = new HandLoadContext
            {
                ChannelNames = new HashSet<string>(["briefings", "alerts"], StringComparer.OrdinalIgnoreCase),
                SharedToolsDir = Path.Combine(root, "tools"),
                DisplayRoot = root,
            };

            var (cold, coldCpu, coldAllocated, loaded) = Measure(hands, context);
            var valid = loaded.Count(h => h.IsValid);
            var warm = TimeSpan.MaxValue;
            var warmCpu = TimeSpan.Zero;
            long warmAllocated = 0;
            for (var i = 0; i < 3; i++)
            {
                var (elapsed, cpu, allocated, _) = Measure(hands, context);
                if (elapsed < warm) (warm, warmCpu, warmAllocated) = (elapsed, cpu, allocated);
            }

            using var process = Process.GetCurrentProcess();
            process.Refresh();
            Console.WriteLine($"hands loaded:     {loaded.Count} ({valid} valid, {loaded.Count - valid} with errors)");
            Console.WriteLine($"cold LoadAll:     {cold.TotalMilliseconds:0} ms wall, {coldCpu.TotalMilliseconds:0} ms CPU, {coldAllocated / 1024.0 / 1024.0:0.0} MiB allocated");
            Console.WriteLine($"warm LoadAll:     {warm.TotalMilliseconds:0} ms wall (best of 3), {warmCpu.TotalMilliseconds:0} ms CPU, {warmAllocated / 1024.0 / 1024.0:0.0} MiB allocated");
            Console.WriteLine($"machine:          {Environment.ProcessorCount} cores, load average {LoadAverage()}");
            Console.WriteLine($"per hand (warm):  {warm.TotalMicroseconds / Math.Max(1, loaded.Count):0} µs");
            Console.WriteLine($"peak working set: {process.PeakWorkingSet64 / 1024.0 / 1024.0:0.0} MiB");
            Console.WriteLine($"target < 3000 ms: {(cold.TotalMilliseconds < 3000 && warm.TotalMilliseconds < 3000 ? "met" : "MISSED")}");
            return Task.FromResult(valid == loaded.Count && loaded.Count == count ? 0 : 1);
        }
        finally
        {
            try { Directory.Delete(root, recursive: true); } catch (IOException) { }
        }
    }

    private static (TimeSpan Elapsed, TimeSpan Cpu, long Allocated, IReadOnlyList<HandsBot.Core.Model.HandDefinition> Hands) Measure(string hands, HandLoadContext context)
    {
        GC.Collect();
        GC.WaitForPendingFinalizers();
        var before = GC.GetTotalAllocatedBytes(precise: true);
        // CPU time is reported next to wall time: on a shared machine wall time mostly measures the neighbours.
        var cpuBefore = Process.GetCurrentProcess().TotalProcessorTime;
        var watch = Stopwatch.StartNew();
        var loaded = HandLoader.LoadAll(hands, context);
        watch.Stop();
        var cpu = Process.GetCurrentProcess().TotalProcessorTime - cpuBefore;
        return (watch.Elapsed, cpu, GC.GetTotalAllocatedBytes(precise: true) - before, loaded);
    }

    private static string LoadAverage()
    {
        try
        {
            return File.Exists("/proc/loadavg") ? string.Join(' ', File.ReadAllText("/proc/loadavg").Split(' ').Take(3)) : "unknown";
        }
        catch (IOException)
        {
            return "unknown";
        }
    }

    private static readonly string[] Zones = ["UTC", "Europe/Berlin", "America/New_York", "Asia/Tokyo", "Australia/Sydney"];

    private static void Generate(string hands, string sharedTools, int count)
    {
        Directory.CreateDirectory(sharedTools);
        var tool = Path.Combine(sharedTools, "fetch_prices");
        File.WriteAllText(tool, "#!/bin/sh\necho '{}'\n");
        if (!OperatingSystem.IsWindows()) File.SetUnixFileMode(tool, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);

        for (var i = 0; i < count; i++)
        {
            var name = $"hand-{i:D5}";
            var dir = Path.Combine(hands, name);
            Directory.CreateDirectory(dir);
            var schedule = (i % 4) switch
            {
                0 => $"schedule = \"{i % 60} {i % 24} * * *\"",
                1 => $"[hand.schedule]\ninterval = {60 + i % 3600}\nmisfire = \"skip\"",
                2 => $"[hand.schedule]\nat = [\"{i % 24:D2}:{i % 60:D2}\", \"23:59\"]\ntimezone = \"{Zones[i % Zones.Length]}\"",
                _ => $"[hand.schedule]\ncron = \"0 */{1 + i % 12} * * MON-FRI\"\ntimezone = \"{Zones[i % Zones.Length]}\"",
            };
            var body = i % 2 == 0
                ? "[run]\ncommand = \"sh -c 'echo ok'\"\ntimeout = 300\n"
                : "[agent]\nmax_iterations = 4\ntemperature = 0.3\n";
            var toml = $$"""
                [hand]
                name = "{{name}}"
                description = "Generated hand {{i}}"
                author = "bench"
                overlap = "{{(i % 3 == 0 ? "queue" : "skip")}}"
                {{schedule}}

                {{body}}
                [tools]
                required = ["fetch_prices"]

                [approval_gates]
                post = { action = "broadcast", description = "Post the result", auto_approve_after = {{i % 900}} }
                restart = { action = "restart", description = "Restart", expires_after = 3600, approvers = ["telegram:{{i}}"] }

                [output]
                channel = ["{{(i % 2 == 0 ? "briefings" : "telegram")}}"]
                format = "markdown"

                [parameters]
                index = {{i}}
                symbols = ["BTC", "ETH"]
                """;
            File.WriteAllText(Path.Combine(dir, "HAND.toml"), toml);
            File.WriteAllText(Path.Combine(dir, "SYSTEM.md"), $"You are generated hand {i}.\n");
            if (i % 5 == 0)
            {
                Directory.CreateDirectory(Path.Combine(dir, "skills"));
                File.WriteAllText(Path.Combine(dir, "skills", "summarise.md"), "Summarise briefly.\n");
            }
        }
    }
}
