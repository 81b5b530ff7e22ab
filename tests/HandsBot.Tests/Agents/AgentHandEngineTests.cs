using HandsBot.Agents;
using HandsBot.Agents.Tests.Fakes;
using HandsBot.Core.Chat;
using HandsBot.Core.Configuration;
using HandsBot.Core.Engine;
using HandsBot.Core.Model;
using HandsBot.Core.Tests.Engine;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;
using HandsBot.Core.Access;

namespace HandsBot.Tests.Agents;

/// <summary>Agent hands through the whole engine: a gated tool call waits for a decision, across a restart.</summary>
public sealed class AgentHandEngineTests : IDisposable
{
    private static readonly DateTimeOffset Start = new(2026, 6, 1, 10, 0, 0, TimeSpan.Zero);
    private readonly TestFolder _folder = new();

    public void Dispose() => _folder.Dispose();

    private static Action<IServiceCollection> WithAgents(string endpoint) => services =>
    {
        services.AddSingleton(Options.Create(new LlmOptions { Endpoint = endpoint }));
        services.AddAgents();
    };

    private void AddFixer() => _folder.AddHand(
        "fixer",
        "[hand]\ndescription = \"Keeps services up\"\n[agent]\nmodel = \"test-model\"\n[tools]\nrequired = [\"restart_service\"]\n[approval_gates]\nrestart_service = { description = \"Restart a service\" }\n[output]\nchannel = \"console\"\n",
        ("SYSTEM.md", "You keep services up."),
        ("tools/restart_service", "#!/bin/sh\nread -r args\necho \"restarted with $args\"\n"),
        ("tools/restart_service.toml", "description = \"Restarts a service\"\n[parameters]\ntype = \"object\"\n[parameters.properties.service]\ntype = \"string\"\n"));

    [Fact]
    public async Task GatedToolCall_WaitsForApproval_AndTheConversationContinuesAfterARestart()
    {
        await using var llm = await FakeLlmServer.StartAsync();
        llm.ReplyToolCalls(("call_1", "restart_service", "{\"service\":\"nginx\"}"));
        llm.ReplyText("Restarted nginx; all good.");
        AddFixer();
        var time = new FakeTimeProvider(Start);

        ApprovalRecord approval;
        await using (var first = await new EngineHarness(_folder, time, configure: WithAgents(llm.Endpoint)).StartAsync())
        {
            var run = await first.Engine.TriggerAsync("fixer", new RunRequest(RunTrigger.Manual, "console:local"));
            await first.SettleAsync();
            var parent = (await first.Store.GetExecutionAsync(run.ExecutionId!))!;
            Assert.Equal(ExecutionOutcome.ApprovalPending, parent.Outcome);
            Assert.Contains("You keep services up.", parent.Prompt, StringComparison.Ordinal);
            Assert.NotNull(parent.State);
            approval = Assert.Single(await first.Store.ListPendingApprovalsAsync());
            Assert.Equal("restart_service", approval.Gate);
            Assert.Contains("nginx", approval.ContextJson, StringComparison.Ordinal);
            Assert.False(File.Exists(Path.Combine(_folder.Path, "hands", "fixer", "restarted")));
        }

        await using var engine = await new EngineHarness(_folder, time, configure: WithAgents(llm.Endpoint)).StartAsync();
        var decided = await engine.Engine.DecideAsync(approval.Id, approve: true, new ChatUser("console", "local", "console"));
        await engine.SettleAsync();

        Assert.Equal(DecisionStatus.Decided, decided.Status);
        var history = await engine.Store.ListExecutionsAsync("fixer", 10);
        var resumed = Assert.Single(history, e => e.ParentId == approval.ExecutionId);
        Assert.Equal(ExecutionOutcome.Success, resumed.Outcome);
        Assert.Equal("Restarted nginx; all good.", resumed.Output);
        Assert.Equal(ExecutionOutcome.Success, history.Single(e => e.Id == approval.ExecutionId).Outcome);
        var toolResult = llm.Requests[^1].Messages.Last(m => m!["role"]!.GetValue<string>() == "tool")!;
        Assert.Contains("restarted with {\"service\":\"nginx\"}", toolResult["content"]!.GetValue<string>(), StringComparison.Ordinal);
        Assert.Contains(engine.Channel.Texts, t => t.Contains("Restarted nginx", StringComparison.Ordinal));
    }

    [Fact]
    public async Task RejectedToolCall_TellsTheModel_AndTheRunEndsWithoutTheTool()
    {
        await using var llm = await FakeLlmServer.StartAsync();
        llm.ReplyToolCalls(("call_1", "restart_service", "{\"service\":\"nginx\"}"));
        llm.ReplyText("Understood, not restarting.");
        AddFixer();
        await using var engine = await new EngineHarness(_folder, new FakeTimeProvider(Start), configure: WithAgents(llm.Endpoint)).StartAsync();

        await engine.Engine.TriggerAsync("fixer", new RunRequest(RunTrigger.Manual, "console:local"));
        await engine.SettleAsync();
        var approval = Assert.Single(await engine.Store.ListPendingApprovalsAsync());
        await engine.Engine.DecideAsync(approval.Id, approve: false, new ChatUser("console", "local", "console"));
        await engine.SettleAsync();

        var resumed = Assert.Single(await engine.Store.ListExecutionsAsync("fixer", 10), e => e.ParentId is not null);
        Assert.Equal("Understood, not restarting.", resumed.Output);
        var toolResult = llm.Requests[^1].Messages.Last(m => m!["role"]!.GetValue<string>() == "tool")!;
        Assert.Contains("refused", toolResult["content"]!.GetValue<string>(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task UnreachableEndpoint_FailsTheRun_WithAClearErrorInStatus()
    {
        AddFixer();
        await using var engine = await new EngineHarness(_folder, new FakeTimeProvider(Start), configure: WithAgents("http://127.0.0.1:9/v1")).StartAsync();

        await engine.Engine.TriggerAsync("fixer", new RunRequest(RunTrigger.Manual, "console:local"));
        await engine.SettleAsync();

        var view = (await engine.Engine.GetHandAsync("fixer"))!;
        Assert.Equal(HandState.Error, view.State);
        Assert.Contains("cannot reach LLM endpoint", view.LastError, StringComparison.Ordinal);
    }
}
