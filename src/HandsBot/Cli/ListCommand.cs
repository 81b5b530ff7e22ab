using System.Globalization;
using HandsBot.Core.Chat;
using HandsBot.Core.Engine;
using HandsBot.Core.Model;
using HandsBot.Core.Scheduling;
using HandsBot.Hosting;
using Microsoft.Extensions.DependencyInjection;
using HandsBot.Core.Text;

namespace HandsBot.Cli;

/// <summary>`handsbot list`: every hand found, invalid ones with their problems, with what starts it (schedule, webhook, event), next run and state.</summary>
internal static class ListCommand
{
    public static async Task<int> RunAsync(string? configPath, CliOutput output, CancellationToken ct)
    {
        var (config, settings) = HandsBotCli.LoadConfig(configPath, output);
        await using var app = await BotHost.OpenEngineAsync(config, settings, ct).ConfigureAwait(false);
        var services = app.Services;
        var engine = services.GetRequiredService<IHandsEngine>();
        var now = services.GetRequiredService<TimeProvider>().GetUtcNow();

        var hands = await engine.ListHandsAsync(ct).ConfigureAwait(false);
        if (hands.Count == 0)
        {
            output.Line($"No hands found in {config.Display(BotHost.RegistrySettings(config, settings).HandsDirectory)}. A hand is a folder with a HAND.toml.");
            return HandsBotCli.Ok;
        }
        var rows = new List<string[]> { new[] { "NAME", "STATE", "TRIGGER", "NEXT RUN", "LAST" } };
        foreach (var hand in hands)
        {
            var manifest = hand.Manifest;
            var next = hand.NextDueAt
                ?? (hand.State is HandState.Scheduled or HandState.Idle or HandState.Error && manifest?.Schedule is { } s ? ScheduleCalculator.Next(s, now) : null);
            rows.Add(
            [
                hand.Name,
                hand.State.ToString().ToLowerInvariant(),
                // An invalid hand never runs: "manual only" (its unreadable schedule read as none) would not be true.
                !hand.Definition.IsValid ? "invalid (see below)" : manifest is null ? "-" : TriggerText.Describe(manifest),
                next is { } n ? $"{TimeText.InZone(n, manifest?.Schedule?.TimeZone)} ({TimeText.Relative(n, now)})" : "-",
                hand.LastOutcome is { } o ? Words.Outcome(o) : "-",
            ]);
        }
        var widths = Enumerable.Range(0, rows[0].Length).Select(i => rows.Max(r => r[i].Length)).ToArray();
        foreach (var row in rows)
        {
            output.Line(string.Join("  ", row.Select((cell, i) => i == row.Length - 1 ? cell : cell.PadRight(widths[i]))).TrimEnd());
        }
        foreach (var hand in hands.Where(h => h.Definition.Diagnostics.Count > 0))
        {
            output.Line();
            output.Line(string.Create(CultureInfo.InvariantCulture, $"{hand.Name}:"));
            foreach (var d in hand.Definition.Diagnostics) output.Line("  " + d);
        }
        return HandsBotCli.Ok;
    }
}
