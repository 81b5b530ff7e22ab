using HandsBot.Core.Model;
using HandsBot.Core.Registry;
using HandsBot.Core.Tests.Engine;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Time.Testing;

namespace HandsBot.Core.Tests.Registry;

public sealed class HandRegistryTests : IDisposable
{
    private static readonly DateTimeOffset Start = new(2026, 6, 1, 10, 0, 0, TimeSpan.Zero);
    private readonly TestFolder _folder = new();

    public void Dispose() => _folder.Dispose();

    private const string Valid = "[hand]\nschedule = \"0 7 * * *\"\n[run]\ncommand = \"echo hi\"\n";

    [Fact]
    public async Task Reload_IndexesEveryHand_ValidOrNot_InTheStore()
    {
        _folder.AddHand("alpha", Valid);
        _folder.AddHand("broken", "[hand]\nschedule = \"nope\"\n");
        await using var engine = await new EngineHarness(_folder, new FakeTimeProvider(Start)).StartAsync();

        var rows = await engine.Store.ListHandsAsync();

        Assert.Equal(["alpha", "broken"], rows.Select(r => r.Name).OrderBy(n => n, StringComparer.Ordinal));
        Assert.True(rows.Single(r => r.Name == "alpha").Valid);
        var broken = rows.Single(r => r.Name == "broken");
        Assert.False(broken.Valid);
        Assert.Contains("hands/broken/HAND.toml(2,", broken.ProblemsJson, StringComparison.Ordinal);
        Assert.Contains("\"schedule\"", rows.Single(r => r.Name == "alpha").ManifestJson, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Reload_AddsChangedAndRemovedHands_AndKeepsStateOfTheOthers()
    {
        _folder.AddHand("alpha", Valid);
        _folder.AddHand("beta", Valid);
        await using var engine = await new EngineHarness(_folder, new FakeTimeProvider(Start)).StartAsync();
        await engine.Engine.TriggerAsync("alpha", new HandsBot.Core.Engine.RunRequest(RunTrigger.Manual, "console:local"));
        await engine.SettleAsync();
        await engine.Store.SetPausedAsync("alpha", true);
        var changes = new List<RegistryChange>();
        engine.Registry.Changed += changes.Add;

        File.AppendAllText(Path.Combine(_folder.Path, "hands", "alpha", "HAND.toml"), "\n# edited\n");
        Directory.Delete(Path.Combine(_folder.Path, "hands", "beta"), recursive: true);
        _folder.AddHand("gamma", Valid);
        var change = await engine.Registry.ReloadAsync();

        Assert.Equal(["gamma"], change.Added);
        Assert.Equal(["beta"], change.Removed);
        Assert.Equal(["alpha"], change.Changed);
        Assert.Single(changes);
        Assert.Null(engine.Registry.Find("beta"));
        Assert.Null(await engine.Store.GetHandAsync("beta"));
        var alpha = (await engine.Store.GetHandAsync("alpha"))!;
        Assert.True(alpha.Paused);
        Assert.Equal(1, alpha.Counters.Runs);
    }

    [Fact]
    public async Task Reload_WithNothingChanged_RaisesNoChange()
    {
        _folder.AddHand("alpha", Valid);
        await using var engine = await new EngineHarness(_folder, new FakeTimeProvider(Start)).StartAsync();
        var raised = 0;
        engine.Registry.Changed += _ => raised++;

        var change = await engine.Registry.ReloadAsync();

        Assert.False(change.Any);
        Assert.Equal(0, raised);
    }

    [Fact]
    public async Task Reload_NoticesAHandThatBecameValid_WithoutItsFilesChanging()
    {
        var dir = _folder.AddHand("script", "[hand]\n[run]\ncommand = \"./run.sh\"\n");
        File.WriteAllText(Path.Combine(dir, "run.sh"), "#!/bin/sh\necho hi\n");
        await using var engine = await new EngineHarness(_folder, new FakeTimeProvider(Start)).StartAsync();
        Assert.False(engine.Registry.Find("script")!.IsValid);

        if (!OperatingSystem.IsWindows()) File.SetUnixFileMode(Path.Combine(dir, "run.sh"), UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        var change = await engine.Registry.ReloadAsync();

        Assert.Equal(["script"], change.Changed);
        Assert.True(engine.Registry.Find("script")!.IsValid);
        Assert.True((await engine.Store.GetHandAsync("script"))!.Valid);
    }

    [Fact]
    public async Task Find_IsCaseInsensitive_AndDuplicateNamesKeepTheFirstFolder()
    {
        _folder.AddHand("alpha", Valid);
        _folder.AddHand("zeta", "[hand]\nname = \"alpha\"\n[run]\ncommand = \"echo twin\"\n");
        await using var engine = await new EngineHarness(_folder, new FakeTimeProvider(Start)).StartAsync();

        var found = engine.Registry.Find("ALPHA");

        Assert.NotNull(found);
        Assert.Equal(2, engine.Registry.All.Count);
        Assert.All(engine.Registry.All, h => Assert.Contains(h.Errors, e => e.Message.Contains("also used by", StringComparison.Ordinal)));
    }

    [Fact]
    public async Task Watcher_ReloadsOnceAfterABurstOfChanges()
    {
        _folder.AddHand("alpha", Valid);
        var time = new FakeTimeProvider(Start);
        await using var engine = await new EngineHarness(_folder, time).StartAsync();
        var watcher = new HandsFolderWatcher(engine.Registry, time, NullLogger<HandsFolderWatcher>.Instance);
        var reloaded = new TaskCompletionSource<RegistryChange>(TaskCreationOptions.RunContinuationsAsynchronously);
        engine.Registry.Changed += c => reloaded.TrySetResult(c);
        await watcher.StartAsync(CancellationToken.None);
        try
        {
            _folder.AddHand("beta", Valid);
            watcher.NotifyChanged();
            watcher.NotifyChanged();
            time.Advance(TimeSpan.FromMilliseconds(100));
            Assert.False(reloaded.Task.IsCompleted);
            // Keep advancing (fake) time until the debounce has elapsed and the reload ran.
            while (!reloaded.Task.IsCompleted)
            {
                time.Advance(HandsFolderWatcher.Debounce);
                await Task.WhenAny(reloaded.Task, Task.Delay(20));
            }
            Assert.Equal(["beta"], (await reloaded.Task).Added);
        }
        finally
        {
            await watcher.StopAsync(CancellationToken.None);
        }
    }
}
