using HandsBot.Core.Chat;
using HandsBot.Core.Delivery;
using HandsBot.Core.Engine;
using HandsBot.Core.Text;
using HandsBot.Core.Model;
using HandsBot.Hosting;
using Microsoft.Extensions.DependencyInjection;

namespace HandsBot.Cli;

/// <summary>
/// `handsbot run HAND`: runs one hand once and prints its output; the exit code follows the outcome
/// (0 success or waiting for approval, 1 otherwise). The run is recorded in history like any other;
/// it is not posted to chat channels (a running `serve` keeps doing that).
/// </summary>
internal static class RunOnceCommand
{
    public static async Task<int> RunAsync(string? configPath, string hand, CliOutput output, CancellationToken ct)
    {
        var (config, settings) = HandsBotCli.LoadConfig(configPath, output);
        await using var app = await BotHost.OpenEngineAsync(config, settings, ct).ConfigureAwait(false);
        var services = app.Services;
        var engine = services.GetRequiredService<IHandsEngine>();
        var worker = services.GetRequiredService<RunWorker>();

        var started = await engine.TriggerAsync(hand, new RunRequest(RunTrigger.Manual, "cli"), ct).ConfigureAwait(false);
        if (!started.Accepted)
        {
            output.Error(ResultText.Plain(ResultText.Trigger(started, hand)));
            return HandsBotCli.Failed;
        }
        if (started.Status != TriggerStatus.Started || !await worker.RunNowAsync(started.ExecutionId!, ct).ConfigureAwait(false))
        {
            // Queued behind a run of a serving HandsBot, which starts it when that run ends.
            output.Error(ResultText.Plain(ResultText.Trigger(started, hand)) + " A running `handsbot serve` starts it.");
            return HandsBotCli.Ok;
        }
        // A file_drop is the only delivery a one-shot run makes (chats are a serving HandsBot's).
        await services.GetRequiredService<OutboxSender>().DrainAsync(ct).ConfigureAwait(false);
        var execution = await engine.FindExecutionAsync(started.ExecutionId!, ct).ConfigureAwait(false);
        if (execution is null)
        {
            output.Error("The run's record was not found.");
            return HandsBotCli.Failed;
        }
        if (!string.IsNullOrEmpty(execution.Output)) output.Out.Write(execution.Output.EndsWith('\n') ? execution.Output : execution.Output + "\n");
        var outcome = execution.Outcome ?? ExecutionOutcome.Interrupted;
        output.Error($"{execution.Hand}: {Words.Outcome(outcome)} (run {execution.Id[..8]}, {execution.Duration?.TotalSeconds:0.0} s)");
        if (execution.Error is { Length: > 0 } error && outcome != ExecutionOutcome.Success) output.Error(error);
        if (outcome == ExecutionOutcome.ApprovalPending) output.Error("It waits for approval: start `handsbot serve` and decide with /approvals.");
        return outcome is ExecutionOutcome.Success or ExecutionOutcome.ApprovalPending ? HandsBotCli.Ok : HandsBotCli.Failed;
    }
}
