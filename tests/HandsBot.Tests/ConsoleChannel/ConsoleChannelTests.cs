using HandsBot.ConsoleChannel;
using HandsBot.Core.Delivery;
using HandsBot.Core.Tests.Engine;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Time.Testing;

namespace HandsBot.Tests.ConsoleChannel;

public sealed class ConsoleChannelTests
{
    private static (ConsoleChannelAdapter Channel, StringWriter Out) Console(FakeTimeProvider time, bool active = true)
    {
        var output = new StringWriter();
        return (new ConsoleChannelAdapter(new ConsoleIO(new StringReader(""), output), time, active), output);
    }

    private static readonly OutboundPart Part = new() { Text = "hello" };

    [Fact]
    public void AnOutputOverAMegabyte_IsCutAtALineEnd_WithANoteSayingWhereTheRestIs()
    {
        var (console, _) = Console(new FakeTimeProvider());
        var text = string.Concat(Enumerable.Repeat("0123456789abcdef\n", 100_000)) + "TAIL";

        var part = Assert.Single(console.Render(new OutgoingContent { Text = text, Format = HandsBot.Core.Model.OutputFormat.Text }));

        Assert.True(part.Text.Length < 1_100_000);
        Assert.DoesNotContain("TAIL", part.Text, StringComparison.Ordinal);
        Assert.Contains("more characters not shown on the console", part.Text, StringComparison.Ordinal);
    }

    [Fact]
    public async Task MessageIds_AreUniquePerSession_AndAnEditOfAnEarlierSessionsMessageSaysSo()
    {
        var time = new FakeTimeProvider(new DateTimeOffset(2026, 3, 1, 7, 0, 0, TimeSpan.Zero));
        var (before, _) = Console(time);
        var old = (await before.SendAsync(ConsoleChannelAdapter.Target, Part, "k1", CancellationToken.None)).MessageId!;
        time.Advance(TimeSpan.FromSeconds(30));
        var (after, output) = Console(time);

        var fresh = (await after.SendAsync(ConsoleChannelAdapter.Target, Part, "k2", CancellationToken.None)).MessageId!;
        await after.EditAsync(ConsoleChannelAdapter.Target, old, Part, CancellationToken.None);
        await after.EditAsync(ConsoleChannelAdapter.Target, fresh, Part, CancellationToken.None);
        await after.EditAsync(ConsoleChannelAdapter.Target, "6", Part, CancellationToken.None);

        Assert.NotEqual(old, fresh);
        Assert.StartsWith("1@", fresh, StringComparison.Ordinal);
        var text = output.ToString();
        Assert.Contains("──── message 1 ·", text, StringComparison.Ordinal);
        Assert.Contains("──── update of message 1 from an earlier session ·", text, StringComparison.Ordinal);
        Assert.Contains("──── update of message 1 ·", text, StringComparison.Ordinal);
        Assert.Contains("──── update of message 6 from an earlier session ·", text, StringComparison.Ordinal);
    }

    [Fact]
    public async Task OnStandby_TheConsoleHasNoDefaultTarget_UntilItIsSwitchedOn()
    {
        var (console, _) = Console(new FakeTimeProvider(), active: false);

        Assert.Null(console.DefaultTarget);
        Assert.False(console.Activated.IsCompleted);
        Assert.True(console.Activate("because"));
        Assert.False(console.Activate("again"));
        Assert.Equal(ConsoleChannelAdapter.Target, console.DefaultTarget);
        Assert.Equal("because", await console.Activated);
    }

    [Fact]
    public async Task Fallback_SwitchesTheConsoleOn_OnlyWhenEveryPlatformFailedAtStart()
    {
        var health = new ChannelHealth(TimeProvider.System);
        var (console, _) = Console(new FakeTimeProvider(), active: false);
        var channels = new ChannelSet([console, new RecordingChannel("telegram"), new RecordingChannel("discord")]);
        var fallback = new ConsoleFallback(health, channels, console, NullLogger<ConsoleFallback>.Instance);
        await fallback.StartAsync(CancellationToken.None);

        health.Report("telegram", ChannelState.Unauthorized, "Telegram rejected the bot token (401 Unauthorized)");
        var afterOne = console.IsActive;
        health.Report("discord", ChannelState.Failed, "gateway closed (4014)");

        Assert.False(afterOne);
        Assert.True(console.IsActive);
        Assert.Equal("every platform channel failed at start (telegram: Telegram rejected the bot token (401 Unauthorized); discord: gateway closed (4014))", await console.Activated);
    }

    [Fact]
    public async Task Fallback_LeavesTheConsoleOff_WhenAPlatformConnected()
    {
        var health = new ChannelHealth(TimeProvider.System);
        var (console, _) = Console(new FakeTimeProvider(), active: false);
        var channels = new ChannelSet([console, new RecordingChannel("telegram"), new RecordingChannel("discord")]);
        health.Report("discord", ChannelState.Connected);
        var fallback = new ConsoleFallback(health, channels, console, NullLogger<ConsoleFallback>.Instance);
        await fallback.StartAsync(CancellationToken.None);

        health.Report("telegram", ChannelState.Unauthorized, "bad token");

        Assert.False(console.IsActive);
        Assert.Null(console.DefaultTarget);
    }
}
