using System.Diagnostics;
using System.Globalization;

namespace HandsBot.Benchmarks;

/// <summary>
/// Peak memory of the real `handsbot serve` while a hand writes a large output (default 100 MB) that is
/// cut at the output cap and delivered to the console. Reads VmHWM (peak RSS) from /proc after the run.
/// </summary>
public sealed class OutputMemoryProgram : ILoadProgram
{
    public string Name => "output-memory";
    public string Description => "peak RSS of serve while one hand prints 100 MB (args: [megabytes]); target < 300 MB";

    public async Task<int> RunAsync(string[] args)
    {
        var megabytes = args.Length > 0 ? int.Parse(args[0], CultureInfo.InvariantCulture) : 100;
        var root = Directory.CreateTempSubdirectory("handsbot-output-memory").FullName;
        try
        {
            var hand = Path.Combine(root, "hands", "big");
            Directory.CreateDirectory(hand);
            // 100-character lines, as a chatty tool would print them.
            await File.WriteAllTextAsync(Path.Combine(hand, "HAND.toml"), $"[hand]\n[run]\ncommand = \"yes 'xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx' | head -c {megabytes}000000\"\ntimeout = 600\n[output]\nchannel = \"console\"\n");
            Directory.CreateDirectory(Path.Combine(root, "config"));
            var config = Path.Combine(root, "config", "handsbot.toml");
            await File.WriteAllTextAsync(config, "[hands]\ndir = \"hands\"\n[storage]\npath = \"data/handsbot.db\"\n[console]\nenabled = true\n");

            var start = new ProcessStartInfo("dotnet") { RedirectStandardInput = true, RedirectStandardOutput = true, RedirectStandardError = true, WorkingDirectory = root };
            start.ArgumentList.Add(Path.Combine(AppContext.BaseDirectory, "handsbot.dll"));
            foreach (var a in new[] { "serve", "--config", config }) start.ArgumentList.Add(a);
            using var bot = Process.Start(start)!;
            var finished = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            var running = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            long printed = 0;
            bot.OutputDataReceived += (_, e) =>
            {
                if (e.Data is null) return;
                Interlocked.Add(ref printed, e.Data.Length + 1);
                if (e.Data.Contains("HandsBot is running", StringComparison.Ordinal)) running.TrySetResult();
                if (e.Data.Contains("output cut", StringComparison.Ordinal) || e.Data.Contains("not shown on the console", StringComparison.Ordinal)) finished.TrySetResult();
                if (Environment.GetEnvironmentVariable("BENCH_ECHO") == "1" && e.Data.Length < 300) Console.Error.WriteLine("bot> " + e.Data);
            };
            bot.ErrorDataReceived += (_, _) => { };
            bot.BeginOutputReadLine();
            bot.BeginErrorReadLine();
            await running.Task.WaitAsync(TimeSpan.FromSeconds(120));
            var idle = PeakRssMb(bot.Id);
            var clock = Stopwatch.StartNew();
            await bot.StandardInput.WriteLineAsync("/run big");
            await bot.StandardInput.FlushAsync();
            await finished.Task.WaitAsync(TimeSpan.FromSeconds(600));
            await Task.Delay(2000); // let the delivery of the cut output finish before the peak is read
            var peak = PeakRssMb(bot.Id);
            Console.WriteLine(FormattableString.Invariant($"output {megabytes} MB: peak RSS {peak:0} MB (after start {idle:0} MB), run to delivery {clock.Elapsed.TotalSeconds:0.0} s, console received {Interlocked.Read(ref printed) / 1e6:0.0} MB (target peak < 300 MB)"));
            bot.Kill(entireProcessTree: true);
            await bot.WaitForExitAsync();
            return peak < 300 ? 0 : 1;
        }
        finally
        {
            Directory.Delete(root, recursive: true);
        }
    }

    private static double PeakRssMb(int pid)
    {
        foreach (var line in File.ReadLines($"/proc/{pid}/status"))
        {
            if (line.StartsWith("VmHWM:", StringComparison.Ordinal))
            {
                return long.Parse(line["VmHWM:".Length..].Trim().Split(' ')[0], CultureInfo.InvariantCulture) / 1024.0;
            }
        }
        return double.NaN;
    }
}
