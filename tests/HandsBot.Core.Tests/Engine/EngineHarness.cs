using HandsBot.Core.Configuration;
using HandsBot.Core.Delivery;
using HandsBot.Core.Engine;
using HandsBot.Core.Manifest;
using HandsBot.Core.Model;
using HandsBot.Core.Registry;
using HandsBot.Core.Storage;
using HandsBot.Storage.Sqlite;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;

namespace HandsBot.Core.Tests.Engine;

/// <summary>
/// The real engine (registry, scheduler, coordinator, executor, approvals, outbox) on a real SQLite
/// file and real processes, with a fake clock and a recording channel. A "restart" is a new harness
/// over the same folder and clock.
/// </summary>
public sealed class EngineHarness : IAsyncDisposable
{
    private readonly ServiceProvider _services;
    private readonly CancellationTokenSource _stop = new();

    public EngineHarness(TestFolder folder, FakeTimeProvider time, Action<AccessOptions>? access = null, int maxConcurrentRuns = 4, RecordingChannel? channel = null, Action<IServiceCollection>? configure = null, bool faulty = false)
    {
        Folder = folder;
        Time = time;
        Channel = channel ?? new RecordingChannel();
        var services = new ServiceCollection();
        services.AddLogging(b => b.SetMinimumLevel(LogLevel.Warning));
        services.AddSingleton<TimeProvider>(time);
        var accessOptions = new AccessOptions { Admins = ["console:local"], Operators = ["telegram:7"] };
        access?.Invoke(accessOptions);
        services.AddSingleton(Options.Create(accessOptions));
        services.AddSingleton(Options.Create(new ChannelsOptions()));
        services.AddSingleton(Options.Create(new OutputOptions()));
        services.AddSingleton(Options.Create(new SchedulerOptions { MaxConcurrentRuns = maxConcurrentRuns, ShutdownGraceSeconds = 0 }));
        services.AddSingleton(Options.Create(new StorageOptions()));
        services.AddSingleton<IChannel>(Channel);
        services.AddSqliteStore(Path.Combine(folder.Path, "data", "handsbot.db"));
        if (faulty)
        {
            // Every part of the store goes through one proxy that fails on command.
            services.AddSingleton(sp => FaultyStore.Wrap(sp.GetRequiredService<SqliteHandsStore>()).Faults);
            services.AddSingleton(sp => (IHandsStore)(object)sp.GetRequiredService<FaultyStore>());
            services.AddSingleton<IHandStore>(sp => sp.GetRequiredService<IHandsStore>());
            services.AddSingleton<IRunStore>(sp => sp.GetRequiredService<IHandsStore>());
            services.AddSingleton<IApprovalStore>(sp => sp.GetRequiredService<IHandsStore>());
            services.AddSingleton<IOutboxStore>(sp => sp.GetRequiredService<IHandsStore>());
            services.AddSingleton<IAuditStore>(sp => sp.GetRequiredService<IHandsStore>());
            services.AddSingleton<ISettingsStore>(sp => sp.GetRequiredService<IHandsStore>());
            services.AddSingleton<ISeenKeyStore>(sp => sp.GetRequiredService<IHandsStore>());
            services.AddSingleton<IStoreAdmin>(sp => sp.GetRequiredService<IHandsStore>());
        }
        services.AddHandsBotEngine(
            new HandRegistrySettings(Path.Combine(folder.Path, "hands"), new HandLoadContext { ChannelNames = new HashSet<string>(), DisplayRoot = folder.Path }),
            new EnginePaths(folder.Path, Path.Combine(folder.Path, "data")));
        configure?.Invoke(services);
        _services = services.BuildServiceProvider();
    }

    public TestFolder Folder { get; }
    public FakeTimeProvider Time { get; }
    public RecordingChannel Channel { get; }
    public IHandsStore Store => Get<IHandsStore>();
    /// <summary>The store's fault switch (only when built with <c>faulty: true</c>).</summary>
    public FaultyStore Faults => Get<FaultyStore>();
    public HandRegistry Registry => Get<HandRegistry>();
    public Scheduler Scheduler => Get<Scheduler>();
    public RunWorker Worker => Get<RunWorker>();
    public IHandsEngine Engine => Get<IHandsEngine>();
    public ApprovalService Approvals => Get<ApprovalService>();
    public OutboxSender Sender => Get<OutboxSender>();

    public T Get<T>() where T : notnull => _services.GetRequiredService<T>();

    /// <summary>Migrates, claims the store, loads hands, recovers interrupted runs (what `serve` does first), and starts the run worker.</summary>
    public async Task<EngineHarness> StartAsync()
    {
        await Get<EngineStartup>().StartAsync(CancellationToken.None);
        await Worker.StartAsync(CancellationToken.None);
        _workerStarted = true;
        return this;
    }

    private bool _workerStarted;

    /// <summary>Also runs the scheduler loop and the approval clock in the background, as `serve` does.</summary>
    public async Task<EngineHarness> StartLoopsAsync()
    {
        await StartAsync();
        await Scheduler.StartAsync(CancellationToken.None);
        await Scheduler.Ready.WaitAsync(TimeSpan.FromSeconds(30));
        await Approvals.StartAsync(CancellationToken.None);
        _loopsStarted = true;
        return this;
    }

    private bool _loopsStarted;

    /// <summary>A task that completes with the next slot the scheduler handles for <paramref name="hand"/>.</summary>
    public Task<SlotHandled> NextHandled(string hand)
    {
        var tcs = new TaskCompletionSource<SlotHandled>(TaskCreationOptions.RunContinuationsAsynchronously);
        void OnHandled(SlotHandled h)
        {
            if (!string.Equals(h.Hand, hand, StringComparison.Ordinal)) return;
            Scheduler.Handled -= OnHandled;
            tcs.TrySetResult(h);
        }
        Scheduler.Handled += OnHandled;
        return tcs.Task.WaitAsync(TimeSpan.FromSeconds(30));
    }

    /// <summary>Waits (up to 30 s) until <paramref name="condition"/> holds; for state that has no event.</summary>
    public static async Task WaitUntilAsync(Func<bool> condition, string what)
    {
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(30);
        while (!condition())
        {
            if (DateTime.UtcNow > deadline) throw new TimeoutException("Timed out waiting until " + what);
            await Task.Delay(10);
        }
    }

    /// <summary>Waits until no run is ready or running, and delivers the outbox.</summary>
    public async Task SettleAsync()
    {
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(30);
        while (true)
        {
            await WaitUntilAsync(() => Worker.RunningCount == 0 && !Store.ListActiveRunsAsync().Result.Any(r => r.RunState is RunState.Ready or RunState.Running), "no run is ready or running");
            await Sender.DrainAsync(CancellationToken.None).WaitAsync(TimeSpan.FromSeconds(30));
            if (Worker.RunningCount == 0 && !(await Store.ListActiveRunsAsync()).Any(r => r.RunState is RunState.Ready or RunState.Running)) return;
            if (DateTime.UtcNow > deadline) throw new TimeoutException("The engine did not settle");
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        if (_loopsStarted)
        {
            await Scheduler.StopAsync(CancellationToken.None);
            await Approvals.StopAsync(CancellationToken.None);
        }
        if (_workerStarted) await Worker.StopAsync(CancellationToken.None);
        await _services.DisposeAsync();
        _stop.Dispose();
    }
}

/// <summary>A temporary folder with hands/ and data/, removed at the end.</summary>
public sealed class TestFolder : IDisposable
{
    public TestFolder()
    {
        Path = System.IO.Path.Combine(System.IO.Path.GetTempPath(), "handsbot-tests", Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(System.IO.Path.Combine(Path, "hands"));
        Directory.CreateDirectory(System.IO.Path.Combine(Path, "data"));
    }

    public string Path { get; }

    /// <summary>Writes hands/NAME/HAND.toml and optional executable files (name → content).</summary>
    public string AddHand(string name, string toml, params (string File, string Content)[] files)
    {
        var dir = System.IO.Path.Combine(Path, "hands", name);
        Directory.CreateDirectory(dir);
        File.WriteAllText(System.IO.Path.Combine(dir, "HAND.toml"), toml);
        foreach (var (file, content) in files)
        {
            var path = System.IO.Path.Combine(dir, file);
            Directory.CreateDirectory(System.IO.Path.GetDirectoryName(path)!);
            File.WriteAllText(path, content);
            if (!OperatingSystem.IsWindows()) File.SetUnixFileMode(path, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        }
        return dir;
    }

    public void Dispose()
    {
        try
        {
            Directory.Delete(Path, recursive: true);
        }
        catch (IOException)
        {
        }
    }
}
