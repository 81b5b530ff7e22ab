using HandsBot.Agents.Tests.Fakes;
using HandsBot.Core.Model;

namespace HandsBot.Agents.Tests;

public sealed class AgentRunnerLoopTests : IAsyncLifetime
{
    private FakeLlmServer _server = null!;
    private readonly TempHand _hand = new();

    public async Task InitializeAsync() => _server = await FakeLlmServer.StartAsync();

    public async Task DisposeAsync()
    {
        await _server.DisposeAsync();
        _hand.Dispose();
    }

    [Fact]
    public async Task RunAsync_ReturnsModelAnswer_WhenModelAnswersWithoutTools()
    {
        _server.ReplyText("  All systems nominal.\n");
        using var runner = Harness.Runner(_server.Endpoint);
        var hand = _hand.Definition(Harness.Manifest(agent: new AgentSpec { Model = "llama3.1:8b", Temperature = 0.7 }));

        var result = await runner.RunAsync(Harness.Context(hand), CancellationToken.None).WithSafety();

        Assert.Equal(ExecutionOutcome.Success, result.Outcome);
        Assert.Equal("All systems nominal.", result.Output);
        Assert.Null(result.Error);
        var request = Assert.Single(_server.Requests);
        Assert.Equal("llama3.1:8b", request.Body["model"]!.GetValue<string>());
        Assert.Equal(0.7, request.Body["temperature"]!.GetValue<double>());
        Assert.False(request.Body["stream"]!.GetValue<bool>());
        Assert.Null(request.Body["tools"]);
        Assert.Equal(["system", "user"], request.Messages.Select(m => m!["role"]!.GetValue<string>()));
        Assert.Equal(result.Prompt, request.Messages[0]!["content"]!.GetValue<string>());
        Assert.Equal("", request.Authorization);
    }

    [Fact]
    public async Task RunAsync_FeedsEachToolResultBack_WhenModelChainsTwoTools()
    {
        Environment.SetEnvironmentVariable("HANDSBOT_AGENTS_TEST_SECRET", "hunter2");
        _hand.AddTool("double", """
            read input
            n=$(printf '%s' "$input" | sed 's/[^0-9]//g')
            echo "doubled: $((n * 2))"
            """, """
            description = "Doubles a number"
            [parameters]
            type = "object"
            required = ["n"]
            [parameters.properties.n]
            type = "integer"
            """)
            .AddTool("where", """
            echo "cwd=$(pwd) hand=$HAND_NAME exec=$HAND_EXECUTION_ID secret=${HANDSBOT_AGENTS_TEST_SECRET:-unset}"
            """, """
            description = "Tells where it runs"
            """);
        _server.ReplyToolCalls(("c1", "double", """{"n": 21}"""))
            .ReplyToolCalls(("c2", "where", "{}"))
            .ReplyText("The answer is 42.");
        using var runner = Harness.Runner(_server.Endpoint);
        var hand = _hand.Definition(Harness.Manifest(required: ["double"], optional: ["where", "absent"]));

        var result = await runner.RunAsync(Harness.Context(hand, id: "run-7"), CancellationToken.None).WithSafety();

        Assert.Equal(ExecutionOutcome.Success, result.Outcome);
        Assert.Equal("The answer is 42.", result.Output);
        var requests = _server.Requests;
        Assert.Equal(3, requests.Count);
        Assert.Equal(["double", "where"], requests[0].ToolNames);
        var first = requests[1].LastMessage;
        Assert.Equal("tool", first["role"]!.GetValue<string>());
        Assert.Equal("c1", first["tool_call_id"]!.GetValue<string>());
        Assert.Null(first["name"]);
        Assert.Equal("doubled: 42", first["content"]!.GetValue<string>());
        var second = requests[2].LastMessage["content"]!.GetValue<string>();
        Assert.Equal($"cwd={Path.GetFullPath(_hand.Directory)} hand=probe exec=run-7 secret=unset", second);
        Assert.Equal(["system", "user", "assistant", "tool", "assistant", "tool"], requests[2].Messages.Select(m => m!["role"]!.GetValue<string>()));
    }

    [Fact]
    public async Task RunAsync_TellsModelTheToolFailed_WhenToolExitsNonZero()
    {
        _hand.AddTool("flaky", "echo 'disk exploded' >&2; exit 3", "description = \"Fails\"");
        _server.ReplyToolCalls(("c1", "flaky", "{}")).ReplyText("The tool failed.");
        using var runner = Harness.Runner(_server.Endpoint);

        var result = await runner.RunAsync(Harness.Context(_hand.Definition(Harness.Manifest(required: ["flaky"]))), CancellationToken.None).WithSafety();

        Assert.Equal(ExecutionOutcome.Success, result.Outcome);
        var told = _server.Requests[1].LastMessage["content"]!.GetValue<string>();
        Assert.Contains("exit code 3", told, StringComparison.Ordinal);
        Assert.Contains("disk exploded", told, StringComparison.Ordinal);
    }

    [Fact]
    public async Task RunAsync_TellsModelTheToolTimedOut_WhenToolRunsPastItsTimeout()
    {
        _hand.AddTool("slow", "sleep 60", "description = \"Sleeps\"\ntimeout = 1");
        _server.ReplyToolCalls(("c1", "slow", "{}")).ReplyText("Gave up on slow.");
        using var runner = Harness.Runner(_server.Endpoint);

        var result = await runner.RunAsync(Harness.Context(_hand.Definition(Harness.Manifest(required: ["slow"]))), CancellationToken.None).WithSafety();

        Assert.Equal(ExecutionOutcome.Success, result.Outcome);
        Assert.Equal("error: tool slow timed out after 1 s and was stopped", _server.Requests[1].LastMessage["content"]!.GetValue<string>());
    }

    [Theory]
    [InlineData("{\"n\": ", "not a valid JSON object")]
    [InlineData("[1, 2]", "got a JSON array")]
    [InlineData("\"text\"", "got a JSON string")]
    public async Task RunAsync_TellsModelAndSkipsTool_WhenArgumentsAreNotAJsonObject(string arguments, string expected)
    {
        _hand.AddTool("touch", "touch ran.flag; echo done", "description = \"Touches\"");
        _server.ReplyToolCalls(("c1", "touch", arguments)).ReplyText("ok");
        using var runner = Harness.Runner(_server.Endpoint);

        var result = await runner.RunAsync(Harness.Context(_hand.Definition(Harness.Manifest(required: ["touch"]))), CancellationToken.None).WithSafety();

        Assert.Equal(ExecutionOutcome.Success, result.Outcome);
        var told = _server.Requests[1].LastMessage["content"]!.GetValue<string>();
        Assert.Contains(expected, told, StringComparison.Ordinal);
        Assert.Contains("Call touch again", told, StringComparison.Ordinal);
        Assert.False(File.Exists(_hand.PathOf("ran.flag")));
    }

    [Fact]
    public async Task RunAsync_TellsModelTheToolDoesNotExist_WhenModelCallsUnknownTool()
    {
        _hand.AddTool("real", "echo hi", "description = \"Real\"");
        _server.ReplyToolCalls(("c1", "rm_rf", "{}")).ReplyText("ok");
        using var runner = Harness.Runner(_server.Endpoint);

        await runner.RunAsync(Harness.Context(_hand.Definition(Harness.Manifest(required: ["real"]))), CancellationToken.None).WithSafety();

        Assert.Equal("error: there is no tool named 'rm_rf'. Available tools: real.", _server.Requests[1].LastMessage["content"]!.GetValue<string>());
    }

    [Fact]
    public async Task RunAsync_AcceptsArgumentsSentAsObject_WhenServerDoesNotStringifyThem()
    {
        _hand.AddTool("echo", "cat", "description = \"Echoes stdin\"");
        var body = """
            {"choices":[{"message":{"role":"assistant","content":null,"tool_calls":[
              {"id":"c1","type":"function","function":{"name":"echo","arguments":{"city":"Zürich"}}}]}}]}
            """;
        _server.ReplyJson(200, body).ReplyText("done");
        using var runner = Harness.Runner(_server.Endpoint);

        await runner.RunAsync(Harness.Context(_hand.Definition(Harness.Manifest(required: ["echo"]))), CancellationToken.None).WithSafety();

        Assert.Equal("""{"city":"Zürich"}""", _server.Requests[1].LastMessage["content"]!.GetValue<string>());
    }

    [Fact]
    public async Task RunAsync_CutsLongToolOutput_WhenToolPrintsTooMuch()
    {
        _hand.AddTool("flood", "head -c 100000 /dev/zero | tr '\\0' x", "description = \"Floods\"");
        _server.ReplyToolCalls(("c1", "flood", "{}")).ReplyText("ok");
        using var runner = Harness.Runner(_server.Endpoint);

        await runner.RunAsync(Harness.Context(_hand.Definition(Harness.Manifest(required: ["flood"]))), CancellationToken.None).WithSafety();

        var told = _server.Requests[1].LastMessage["content"]!.GetValue<string>();
        Assert.StartsWith(new string('x', 16_000) + "\n[… ", told, StringComparison.Ordinal);
        Assert.EndsWith("more characters cut]", told, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("<think>\nThe user wants a report.\n</think>\n\nAll good.", "All good.")]
    [InlineData("All good. <think>kept: not leading</think>", "All good. <think>kept: not leading</think>")]
    public async Task RunAsync_DropsLeadingReasoning_WhenModelThinksAloud(string content, string expected)
    {
        _server.ReplyText(content);
        using var runner = Harness.Runner(_server.Endpoint);

        var result = await runner.RunAsync(Harness.Context(_hand.Definition(Harness.Manifest())), CancellationToken.None).WithSafety();

        Assert.Equal(expected, result.Output);
    }

    [Fact]
    public async Task RunAsync_UsesSharedToolsDir_WhenHandHasNoSuchTool()
    {
        var shared = Path.Combine(_hand.Directory, "..", "shared-tools");
        _hand.AddTool("uptime_now", "echo up", "description = \"Shared\"", folder: shared);
        _server.ReplyToolCalls(("c1", "uptime_now", "{}")).ReplyText("ok");
        using var runner = Harness.Runner(_server.Endpoint, toolsDir: shared);

        var result = await runner.RunAsync(Harness.Context(_hand.Definition(Harness.Manifest(required: ["uptime_now"]))), CancellationToken.None).WithSafety();

        Assert.Equal(ExecutionOutcome.Success, result.Outcome);
        Assert.Equal("up", _server.Requests[1].LastMessage["content"]!.GetValue<string>());
    }
}
