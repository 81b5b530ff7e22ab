using HandsBot.Core.Chat;
using HandsBot.Core.Engine;
using HandsBot.Core.Model;
using Microsoft.Extensions.Time.Testing;
using HandsBot.Core.Access;
using HandsBot.Core.Buttons;

namespace HandsBot.Core.Tests.Engine;

public sealed class ApprovalTests : IDisposable
{
    private static readonly DateTimeOffset Start = new(2026, 6, 1, 10, 0, 0, TimeSpan.Zero);
    private static readonly ChatUser Admin = new("console", "local", "console");
    private static readonly ChatUser Operator = new("telegram", "7", "Olga");
    private static readonly ChatUser Stranger = new("telegram", "99", "Mallory");
    private readonly TestFolder _folder = new();

    public void Dispose() => _folder.Dispose();

    private void AddBriefing(string gate = "post = { action = \"broadcast\", description = \"Post the briefing\" }") =>
        _folder.AddHand("briefing", $"[hand]\n[run]\ncommand = \"echo 'Market is calm'\"\n[approval_gates]\n{gate}\n[output]\nchannel = \"console\"\n");

    /// <summary>Completes once a decision has been carried out (messages updated, action started).</summary>
    private static Task<ApprovalRecord> NextDecision(EngineHarness engine)
    {
        var tcs = new TaskCompletionSource<ApprovalRecord>(TaskCreationOptions.RunContinuationsAsynchronously);
        engine.Approvals.Decided += a => tcs.TrySetResult(a);
        return tcs.Task.WaitAsync(TimeSpan.FromSeconds(30));
    }

    private static async Task<ApprovalRecord> RunAndGetApprovalAsync(EngineHarness engine, string hand)
    {
        var run = await engine.Engine.TriggerAsync(hand, new RunRequest(RunTrigger.Manual, "console:local"));
        Assert.True(run.Accepted, run.Status.ToString());
        await engine.SettleAsync();
        return Assert.Single(await engine.Store.ListPendingApprovalsAsync());
    }

    [Fact]
    public async Task BroadcastGate_HoldsTheOutput_UntilApproved_ThenDeliversIt_AndUpdatesTheRequest()
    {
        AddBriefing();
        await using var engine = await new EngineHarness(_folder, new FakeTimeProvider(Start)).StartAsync();

        var approval = await RunAndGetApprovalAsync(engine, "briefing");
        Assert.DoesNotContain(engine.Channel.Texts, t => t.Contains("Market is calm", StringComparison.Ordinal) && !t.Contains("Approval needed", StringComparison.Ordinal));
        var request = Assert.Single(engine.Channel.Sent, m => m.Part.Buttons.Count > 0);
        Assert.Contains(request.Part.Buttons[0], b => b.Id == ButtonCodec.Approve(approval.Reference));
        Assert.Equal(ExecutionOutcome.ApprovalPending, (await engine.Store.GetExecutionAsync(approval.ExecutionId))!.Outcome);

        var decided = await engine.Engine.DecideAsync(approval.Id, approve: true, Operator);
        await engine.SettleAsync();

        Assert.Equal(DecisionStatus.Decided, decided.Status);
        Assert.Contains(engine.Channel.Texts, t => t.Contains("Market is calm", StringComparison.Ordinal) && !t.Contains("Approval needed", StringComparison.Ordinal));
        var edit = Assert.Single(engine.Channel.Edits);
        Assert.Equal(request.MessageId, edit.MessageId);
        Assert.Empty(edit.Part.Buttons);
        Assert.Contains("Approved by Olga (telegram:7)", edit.Part.Text, StringComparison.Ordinal);
        Assert.Equal(ExecutionOutcome.Success, (await engine.Store.GetExecutionAsync(approval.ExecutionId))!.Outcome);
    }

    [Fact]
    public async Task BroadcastGate_Rejected_NeverDeliversTheOutput()
    {
        AddBriefing();
        await using var engine = await new EngineHarness(_folder, new FakeTimeProvider(Start)).StartAsync();
        var approval = await RunAndGetApprovalAsync(engine, "briefing");

        var decided = await engine.Engine.DecideAsync(approval.Id, approve: false, Admin);
        await engine.SettleAsync();

        Assert.Equal(ApprovalStatus.Rejected, decided.Approval!.Status);
        Assert.Equal(ApprovalStatus.Rejected, (await engine.Store.GetApprovalAsync(approval.Id))!.Status);
        Assert.DoesNotContain(engine.Channel.Texts, t => t.Contains("Market is calm", StringComparison.Ordinal) && !t.Contains("Approval needed", StringComparison.Ordinal));
        Assert.Contains("Rejected by", Assert.Single(engine.Channel.Edits).Part.Text, StringComparison.Ordinal);
    }

    [Fact]
    public async Task SecondDecision_IsRefused_WithWhoDecidedFirst()
    {
        AddBriefing();
        await using var engine = await new EngineHarness(_folder, new FakeTimeProvider(Start)).StartAsync();
        var approval = await RunAndGetApprovalAsync(engine, "briefing");

        var first = await engine.Engine.DecideAsync(approval.Id, approve: true, Operator);
        var second = await engine.Engine.DecideAsync(approval.Id, approve: false, Admin);
        await engine.SettleAsync();

        Assert.Equal(DecisionStatus.Decided, first.Status);
        Assert.Equal(DecisionStatus.AlreadyDecided, second.Status);
        Assert.Equal("Olga (telegram:7)", second.Approval!.ResolvedBy);
        Assert.Equal(ApprovalStatus.Approved, second.Approval.Status);
        Assert.Equal(ApprovalStatus.Approved, (await engine.Store.GetApprovalAsync(approval.Id))!.Status);
        Assert.Single(engine.Channel.Texts, t => t.Contains("Market is calm", StringComparison.Ordinal) && !t.Contains("Approval needed", StringComparison.Ordinal));
    }

    [Fact]
    public async Task UnauthorisedDecider_ChangesNothing_AndGateApproversOverrideRoles()
    {
        AddBriefing("post = { action = \"broadcast\", approvers = [\"telegram:42\"] }");
        await using var engine = await new EngineHarness(_folder, new FakeTimeProvider(Start)).StartAsync();
        var approval = await RunAndGetApprovalAsync(engine, "briefing");

        var stranger = await engine.Engine.DecideAsync(approval.Id, approve: true, Stranger);
        var operatorNotListed = await engine.Engine.DecideAsync(approval.Id, approve: true, Operator);
        Assert.Equal(DecisionStatus.NotAllowed, stranger.Status);
        Assert.Equal(["telegram:42"], stranger.Approvers);
        Assert.Equal(DecisionStatus.NotAllowed, operatorNotListed.Status);
        Assert.True((await engine.Store.GetApprovalAsync(approval.Id))!.IsPending);

        var approver = await engine.Engine.DecideAsync(approval.Id, approve: true, new ChatUser("telegram", "42", "Ann"));
        Assert.Equal(DecisionStatus.Decided, approver.Status);
    }

    [Fact]
    public async Task AutoApproveAfter_ApprovesWithoutADecision_EvenAcrossARestart()
    {
        AddBriefing("post = { action = \"broadcast\", auto_approve_after = 300 }");
        var time = new FakeTimeProvider(Start);
        ApprovalRecord approval;
        await using (var first = await new EngineHarness(_folder, time).StartAsync())
        {
            approval = await RunAndGetApprovalAsync(first, "briefing");
            Assert.Equal(Start.AddSeconds(300), approval.AutoApproveAt);
        }
        time.Advance(TimeSpan.FromSeconds(301)); // the deadline passes while HandsBot is down

        await using var engine = new EngineHarness(_folder, time);
        var decided = NextDecision(engine);
        await engine.StartLoopsAsync();
        Assert.Equal(ApprovalStatus.AutoApproved, (await decided).Status);
        await engine.SettleAsync();
        Assert.Contains(engine.Channel.Texts, t => t.Contains("Market is calm", StringComparison.Ordinal));
    }

    [Fact]
    public async Task ExpiresAfter_ExpiresTheRequest_AndTreatsItAsRejected()
    {
        _folder.AddHand("fixer", "[hand]\n[run]\ncommand = \"./run.sh\"\n[approval_gates]\nrestart = { command = \"./restart.sh\", expires_after = 60 }\n[output]\nchannel = \"console\"\n",
            ("run.sh", "#!/bin/sh\necho '{\"gate\":\"restart\",\"summary\":\"Restart nginx\"}' >> \"$HAND_REQUESTS\"\necho checked\n"),
            ("restart.sh", "#!/bin/sh\necho restarted\n"));
        var time = new FakeTimeProvider(Start);
        await using var engine = await new EngineHarness(_folder, time).StartLoopsAsync();
        var approval = await RunAndGetApprovalAsync(engine, "fixer");

        var decided = NextDecision(engine);
        time.Advance(TimeSpan.FromSeconds(61));
        Assert.Equal(ApprovalStatus.Expired, (await decided).Status);
        await engine.SettleAsync();

        Assert.DoesNotContain(engine.Channel.Texts, t => t.Contains("restarted", StringComparison.Ordinal));
        Assert.Single(await engine.Store.ListExecutionsAsync("fixer", 10));
        Assert.Contains("Expired", Assert.Single(engine.Channel.Edits).Part.Text, StringComparison.Ordinal);
    }

    [Fact]
    public async Task RequestedAction_RunsTheGateCommand_AfterApproval_WithTheDecisionInItsEnvironment()
    {
        _folder.AddHand("fixer", "[hand]\n[run]\ncommand = \"./run.sh\"\n[approval_gates]\nrestart = { action = \"restart\", description = \"Restart a service\", command = \"./restart.sh\" }\n[output]\nchannel = \"console\"\n",
            ("run.sh", "#!/bin/sh\necho '{\"gate\":\"restart\",\"summary\":\"Restart nginx\",\"data\":{\"service\":\"nginx\"}}' >> \"$HAND_REQUESTS\"\necho checked\n"),
            ("restart.sh", "#!/bin/sh\necho \"restarted by $HAND_DECIDED_BY with $HAND_APPROVAL_DATA ($HAND_TRIGGER)\"\n"));
        await using var engine = await new EngineHarness(_folder, new FakeTimeProvider(Start)).StartAsync();
        var approval = await RunAndGetApprovalAsync(engine, "fixer");
        Assert.Equal("Restart nginx", approval.Summary);
        Assert.Equal("restart", approval.Gate);

        await engine.Engine.DecideAsync(approval.Id, approve: true, Admin);
        await engine.SettleAsync();

        var history = await engine.Store.ListExecutionsAsync("fixer", 10);
        var action = Assert.Single(history, e => e.ParentId == approval.ExecutionId);
        Assert.Equal(RunTrigger.Approval, action.Trigger);
        Assert.Equal(ExecutionOutcome.Success, action.Outcome);
        Assert.Contains("restarted by console (console:local) with {\"service\":\"nginx\"} (approval)", action.Output, StringComparison.Ordinal);
        Assert.Contains(engine.Channel.Texts, t => t.Contains("restarted by", StringComparison.Ordinal));
        Assert.Equal(ExecutionOutcome.Success, history.Single(e => e.Id == approval.ExecutionId).Outcome);
    }

    [Fact]
    public async Task RequestedAction_WithoutAGateCommand_RunsTheHandAgainWithTheApprovedGate()
    {
        _folder.AddHand("deployer", "[hand]\n[run]\ncommand = \"./run.sh\"\n[approval_gates]\ndeploy = { description = \"Deploy\" }\n[output]\nchannel = \"console\"\n",
            ("run.sh", "#!/bin/sh\nif [ -n \"${HAND_APPROVED_GATE:-}\" ]; then echo \"deploying ($HAND_APPROVED_GATE)\"; else echo '{\"gate\":\"deploy\"}' >> \"$HAND_REQUESTS\"; echo planned; fi\n"));
        await using var engine = await new EngineHarness(_folder, new FakeTimeProvider(Start)).StartAsync();
        var approval = await RunAndGetApprovalAsync(engine, "deployer");

        await engine.Engine.DecideAsync(approval.Id, approve: true, Admin);
        await engine.SettleAsync();

        var action = Assert.Single(await engine.Store.ListExecutionsAsync("deployer", 10), e => e.ParentId is not null);
        Assert.Equal("deploying (deploy)\n", action.Output);
    }

    [Fact]
    public async Task RequestForAnUnknownGate_FailsTheRun_WithAClearError()
    {
        _folder.AddHand("sneaky", "[hand]\n[run]\ncommand = \"./run.sh\"\n[approval_gates]\nsafe = { description = \"Safe\" }\n",
            ("run.sh", "#!/bin/sh\necho '{\"gate\":\"nuke\"}' >> \"$HAND_REQUESTS\"\necho done\n"));
        await using var engine = await new EngineHarness(_folder, new FakeTimeProvider(Start)).StartAsync();
        await engine.Engine.TriggerAsync("sneaky", new RunRequest(RunTrigger.Manual, "console:local"));
        await engine.SettleAsync();

        var run = Assert.Single(await engine.Store.ListExecutionsAsync("sneaky", 10));
        Assert.Equal(ExecutionOutcome.Failure, run.Outcome);
        Assert.Contains("HAND_REQUESTS line 1: unknown gate 'nuke' (gates: safe)", run.Error, StringComparison.Ordinal);
        Assert.Empty(await engine.Store.ListPendingApprovalsAsync());
    }

    [Fact]
    public async Task Decision_AfterARestart_IsCarriedOut()
    {
        AddBriefing();
        var time = new FakeTimeProvider(Start);
        ApprovalRecord approval;
        await using (var first = await new EngineHarness(_folder, time).StartAsync())
        {
            approval = await RunAndGetApprovalAsync(first, "briefing");
        }
        await using var engine = await new EngineHarness(_folder, time).StartAsync();
        var lookup = await engine.Engine.FindApprovalAsync(approval.Reference[..4]);
        Assert.Equal(ApprovalLookupStatus.Found, lookup.Status);

        await engine.Engine.DecideAsync(lookup.Approval!.Id, approve: true, Admin);
        await engine.SettleAsync();

        Assert.Contains(engine.Channel.Texts, t => t.Contains("Market is calm", StringComparison.Ordinal));
    }
}
