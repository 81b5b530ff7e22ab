using HandsBot.Core.Model;

namespace HandsBot.Core.Engine;

/// <summary>Runs an agent hand once (from the start, or continuing after a decision) through the agents module.</summary>
public sealed class AgentHandRunner(IEnumerable<IAgentRunner> agents, TimeProvider time)
{
    public async Task<RunOutcome> RunAsync(RunPlan plan, ExecutionRecord execution, CancellationToken ct)
    {
        var runner = agents.FirstOrDefault();
        if (runner is null) return new RunOutcome(ExecutionOutcome.Failure, null, "this is an agent hand (no [run] section) and agent hands are not available in this build", null);
        var context = new AgentRunContext(plan.Hand, execution, time.GetUtcNow()) { Parent = plan.Parent };
        AgentRunResult result;
        if (plan.Decision is { } decision)
        {
            var parent = decision.Parent;
            if (parent.State is null) return new RunOutcome(ExecutionOutcome.Failure, null, $"cannot continue: execution {parent.Id} has no saved conversation", null);
            result = await runner.ResumeAsync(context, parent.State, new GateDecision(decision.Approved, decision.Approval.Status, decision.DecidedBy), ct).ConfigureAwait(false);
        }
        else
        {
            result = await runner.RunAsync(context, ct).ConfigureAwait(false);
        }
        var outcome = new RunOutcome(result.Outcome, result.Output, result.Error, null) { Prompt = result.Prompt, State = result.State };
        if (result.Outcome == ExecutionOutcome.ApprovalPending && result.PendingCall is { } call)
        {
            outcome = outcome with { Requests = [new HandRequest(call.Gate, call.Summary, call.ArgumentsJson, IsAgentCall: true)] };
        }
        return outcome;
    }
}
