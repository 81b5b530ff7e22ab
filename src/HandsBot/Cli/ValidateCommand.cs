using HandsBot.Agents;
using HandsBot.Core.Manifest;
using HandsBot.Hosting;

namespace HandsBot.Cli;

/// <summary>`handsbot validate`: every problem of every hand, compiler-style, and an exit code for scripts.</summary>
internal static class ValidateCommand
{
    public static Task<int> RunAsync(string? configPath, string? handsDir, CliOutput output)
    {
        var (config, settings) = HandsBotCli.LoadConfig(configPath, output);
        var registry = BotHost.RegistrySettings(config, settings);
        var dir = handsDir is null ? registry.HandsDirectory : Path.GetFullPath(handsDir);
        if (handsDir is null)
        {
            StartupChecks.RequireHandsFolder(config, settings);
        }
        else if (!Directory.Exists(dir))
        {
            output.Error($"{handsDir}: hands folder not found ({dir}).");
            return Task.FromResult(HandsBotCli.UsageError);
        }
        var context = handsDir is null ? registry.LoadContext : registry.LoadContext with { DisplayRoot = Directory.GetCurrentDirectory() };
        // Agent hands' tools also need valid sidecars; the agents module knows their format.
        var hands = HandLoader.LoadAll(dir, context)
            .Select(h => h.Manifest is { IsAgent: true }
                ? h with { Diagnostics = [.. h.Diagnostics, .. AgentTools.Check(h, context.SharedToolsDir).Where(d => !h.Diagnostics.Contains(d))] }
                : h)
            .ToList();
        foreach (var hand in hands)
        {
            foreach (var diagnostic in hand.Diagnostics) (diagnostic.IsError ? output.Err : output.Out).WriteLine(diagnostic.ToString());
        }
        var invalid = hands.Count(h => !h.IsValid);
        var warnings = hands.Sum(h => h.Diagnostics.Count(d => !d.IsError));
        output.Line($"{hands.Count} hands checked: {hands.Count - invalid} valid, {invalid} invalid, {warnings} warnings.");
        return Task.FromResult(invalid == 0 ? HandsBotCli.Ok : HandsBotCli.Failed);
    }
}
