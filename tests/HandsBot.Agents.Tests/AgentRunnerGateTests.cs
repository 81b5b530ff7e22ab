using HandsBot.Agents.Tests.Fakes;
using HandsBot.Core.Engine;
using HandsBot.Core.Model;

namespace HandsBot.Agents.Tests;

public sealed class AgentRunnerGateTests : IAsyncLifetime
{
    private FakeLlmServer _server = null!;
    private readonly TempHand _hand = new("ops");

    public async Task InitializeAsync()
    {
        _server = await FakeLlmServer.StartAsync();
        _hand.AddTool("restart_service", """
                cat > restarted.json
                echo "restarted"
                """, """
                description = "Restarts a systemd service"
                [parameters]
                type = "object"
                required = ["service"]
                [parameters.properties.service]
                type = "string"
                """)
            .AddTool("status", "echo nginx is down", "description = \"Service status\"");
    }

    public async Task DisposeAsync()
    {
        await _server.DisposeAsync();
        _hand.Dispose();
    }

    private HandDefinition Hand() => _hand.Definition(Harness.Manifest(
        name: "ops",
        required: ["status", "restart_service"],
        gates: [Harness.Gate("post", "broadcast"), Harness.Gate("restart", "restart_service", "Restart a service")]));

    [Fact]
    public async Task RunAsync_HoldsGatedCallWithoutRunningIt_WhenModelCallsGatedTool()
    {
        _server.ReplyToolCalls(("c1", "restart_service", """{ "service": "nginx" }"""));
        using var runner = Harness.Runner(_server.Endpoint);

        var result = await runner.RunAsync(Harness.Context(Hand()), CancellationToken.None).WithSafety();

        Assert.Equal(ExecutionOutcome.ApprovalPending, result.Outcome);
        Assert.NotNull(result.PendingCall);
        Assert.Equal("restart", result.PendingCall.Gate);
        Assert.Equal("""Restart a service: restart_service {"service":"nginx"}""", result.PendingCall.Summary);
        Assert.Equal("""{ "service": "nginx" }""", result.PendingCall.ArgumentsJson);
        Assert.NotNull(result.State);
        Assert.NotNull(result.Prompt);
        Assert.False(File.Exists(_hand.PathOf("restarted.json")));
    }

    [Fact]
    public async Task ResumeAsync_RunsToolAndContinues_WhenApprovedInANewRunner()
    {
        _server.ReplyToolCalls(("c1", "status", "{}"))
            .ReplyToolCalls(("c2", "restart_service", """{"service":"nginx"}"""));
        string state;
        string prompt;
        using (var first = Harness.Runner(_server.Endpoint))
        {
            var held = await first.RunAsync(Harness.Context(Hand()), CancellationToken.None).WithSafety();
            Assert.Equal(ExecutionOutcome.ApprovalPending, held.Outcome);
            state = held.State!;
            prompt = held.Prompt!;
        }

        _server.ReplyText("Restarted nginx.");
        using var second = Harness.Runner(_server.Endpoint);
        var resumed = await second.ResumeAsync(
            Harness.Context(Hand(), RunTrigger.Approval, id: "exec2", parentId: "exec1"),
            state,
            new GateDecision(true, ApprovalStatus.Approved, "telegram:42"),
            CancellationToken.None).WithSafety();

        Assert.Equal(ExecutionOutcome.Success, resumed.Outcome);
        Assert.Equal("Restarted nginx.", resumed.Output);
        Assert.Equal(prompt, resumed.Prompt);
        Assert.Equal("""{"service":"nginx"}""", File.ReadAllText(_hand.PathOf("restarted.json")));
        var last = _server.Requests[^1];
        Assert.Equal(["system", "user", "assistant", "tool", "assistant", "tool"], last.Messages.Select(m => m!["role"]!.GetValue<string>()));
        Assert.Equal(prompt, last.Messages[0]!["content"]!.GetValue<string>());
        Assert.Equal("nginx is down", last.Messages[3]!["content"]!.GetValue<string>());
        Assert.Equal("c2", last.LastMessage["tool_call_id"]!.GetValue<string>());
        Assert.Equal("restarted", last.LastMessage["content"]!.GetValue<string>());
    }

    [Theory]
    [InlineData(ApprovalStatus.Rejected, "a human rejected it")]
    [InlineData(ApprovalStatus.Expired, "no human approved it before the request expired")]
    public async Task ResumeAsync_TellsModelTheCallWasRefused_WhenNotApproved(ApprovalStatus status, string reason)
    {
        _server.ReplyToolCalls(("c1", "restart_service", """{"service":"nginx"}"""));
        using var runner = Harness.Runner(_server.Endpoint);
        var held = await runner.RunAsync(Harness.Context(Hand()), CancellationToken.None).WithSafety();

        _server.ReplyText("I did not restart nginx.");
        var resumed = await runner.ResumeAsync(
            Harness.Context(Hand(), RunTrigger.Approval, id: "exec2", parentId: "exec1"),
            held.State!,
            new GateDecision(false, status, "telegram:42"),
            CancellationToken.None).WithSafety();

        Assert.Equal(ExecutionOutcome.Success, resumed.Outcome);
        Assert.False(File.Exists(_hand.PathOf("restarted.json")));
        var told = _server.Requests[^1].LastMessage;
        Assert.Equal("c1", told["tool_call_id"]!.GetValue<string>());
        Assert.StartsWith("refused:", told["content"]!.GetValue<string>(), StringComparison.Ordinal);
        Assert.Contains(reason, told["content"]!.GetValue<string>(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task ResumeAsync_AnswersCallsAfterTheGatedOne_WhenOneTurnHadSeveralCalls()
    {
        _server.ReplyToolCalls(("a", "status", "{}"), ("b", "restart_service", """{"service":"db"}"""), ("c", "status", "{}"));
        using var runner = Harness.Runner(_server.Endpoint);
        var held = await runner.RunAsync(Harness.Context(Hand()), CancellationToken.None).WithSafety();
        Assert.Equal(ExecutionOutcome.ApprovalPending, held.Outcome);

        _server.ReplyText("done");
        var resumed = await runner.ResumeAsync(Harness.Context(Hand(), RunTrigger.Approval, id: "exec2"), held.State!,
            new GateDecision(true, ApprovalStatus.Approved, "discord:7"), CancellationToken.None).WithSafety();

        Assert.Equal(ExecutionOutcome.Success, resumed.Outcome);
        var ids = _server.Requests[^1].Messages.Where(m => m!["role"]!.GetValue<string>() == "tool").Select(m => m!["tool_call_id"]!.GetValue<string>());
        Assert.Equal(["a", "b", "c"], ids);
    }

    [Theory]
    [InlineData("restart_service", "restart", "restart_service")]
    [InlineData("restart", "restart_service", "restart")]
    public async Task RunAsync_HoldsCall_WhenGateKeyOrActionNamesTheTool(string key, string action, string expectedGate)
    {
        _server.ReplyToolCalls(("c1", "restart_service", "{}"));
        using var runner = Harness.Runner(_server.Endpoint);
        var hand = _hand.Definition(Harness.Manifest(name: "ops", required: ["restart_service"], gates: [Harness.Gate(key, action)]));

        var result = await runner.RunAsync(Harness.Context(hand), CancellationToken.None).WithSafety();

        Assert.Equal(ExecutionOutcome.ApprovalPending, result.Outcome);
        Assert.Equal(expectedGate, result.PendingCall!.Gate);
        Assert.StartsWith(action + ": restart_service {}", result.PendingCall.Summary, StringComparison.Ordinal);
    }

    [Fact]
    public async Task RunAsync_DoesNotGateTool_WhenOnlyABroadcastGateMatchesItsName()
    {
        _hand.AddTool("broadcast", "echo sent", "description = \"Sends\"");
        _server.ReplyToolCalls(("c1", "broadcast", "{}")).ReplyText("ok");
        using var runner = Harness.Runner(_server.Endpoint);
        var hand = _hand.Definition(Harness.Manifest(name: "ops", required: ["broadcast"], gates: [Harness.Gate("post", "broadcast")]));

        var result = await runner.RunAsync(Harness.Context(hand), CancellationToken.None).WithSafety();

        Assert.Equal(ExecutionOutcome.Success, result.Outcome);
    }

    [Theory]
    [InlineData("not json", "not valid JSON")]
    [InlineData("""{"version":99,"messages":[{"role":"system","content":"x"}]}""", "version 99")]
    [InlineData("""{"version":1,"messages":[]}""", "no messages")]
    [InlineData("""{"version":1,"messages":[{"role":"system","content":"x"}],"pending":[]}""", "no tool call waiting")]
    public async Task ResumeAsync_FailsClearly_WhenSavedStateIsUnusable(string state, string expected)
    {
        using var runner = Harness.Runner(_server.Endpoint);

        var result = await runner.ResumeAsync(Harness.Context(Hand()), state, new GateDecision(true, ApprovalStatus.Approved, "x"), CancellationToken.None).WithSafety();

        Assert.Equal(ExecutionOutcome.Failure, result.Outcome);
        Assert.StartsWith("cannot resume: ", result.Error, StringComparison.Ordinal);
        Assert.Contains(expected, result.Error, StringComparison.Ordinal);
        Assert.Empty(_server.Requests);
    }
}
