using System.Net;
using System.Net.Sockets;
using HandsBot.Agents.Tests.Fakes;
using HandsBot.Core.Model;
using Microsoft.Extensions.Time.Testing;

namespace HandsBot.Agents.Tests;

public sealed class AgentRunnerErrorTests : IAsyncLifetime
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
    public async Task RunAsync_FailsAfterMaxIterations_WhenModelKeepsCallingTools()
    {
        _hand.AddTool("poke", "echo poked", "description = \"Pokes\"");
        for (var i = 0; i < 5; i++)
            _server.ReplyToolCalls(($"c{i}", "poke", "{}"));
        using var runner = Harness.Runner(_server.Endpoint);
        var hand = _hand.Definition(Harness.Manifest(required: ["poke"], agent: new AgentSpec { Model = "m", MaxIterations = 3 }));

        var result = await runner.RunAsync(Harness.Context(hand), CancellationToken.None).WithSafety();

        Assert.Equal(ExecutionOutcome.Failure, result.Outcome);
        Assert.Equal("model still calling tools after 3 turns (max_iterations = 3 in [agent])", result.Error);
        Assert.Equal(3, _server.Requests.Count);
        Assert.NotNull(result.State);
    }

    [Fact]
    public async Task RunAsync_UsesDefaultTimeoutAndOneTurn_WhenSpecLimitsAreNotPositive()
    {
        _hand.AddTool("poke", "echo poked", "description = \"Pokes\"");
        _server.ReplyToolCalls(("c1", "poke", "{}"));
        using var runner = Harness.Runner(_server.Endpoint);
        var hand = _hand.Definition(Harness.Manifest(required: ["poke"], agent: new AgentSpec { Model = "m", MaxIterations = 0, Timeout = TimeSpan.Zero }));

        var result = await runner.RunAsync(Harness.Context(hand), CancellationToken.None).WithSafety();

        Assert.Equal(ExecutionOutcome.Failure, result.Outcome);
        Assert.StartsWith("model still calling tools after 1 turns", result.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task RunAsync_FailsWithConnectionRefused_WhenEndpointIsDown()
    {
        var endpoint = $"http://127.0.0.1:{UnusedPort()}/v1";
        using var runner = Harness.Runner(endpoint);

        var result = await runner.RunAsync(Harness.Context(_hand.Definition(Harness.Manifest())), CancellationToken.None).WithSafety();

        Assert.Equal(ExecutionOutcome.Failure, result.Outcome);
        Assert.Equal($"cannot reach LLM endpoint {endpoint}: connection refused", result.Error);
    }

    [Fact]
    public async Task RunAsync_HidesUserInfo_WhenEndpointUrlCarriesCredentials()
    {
        var port = UnusedPort();
        using var runner = Harness.Runner($"http://bob:s3cret@127.0.0.1:{port}/v1");

        var result = await runner.RunAsync(Harness.Context(_hand.Definition(Harness.Manifest())), CancellationToken.None).WithSafety();

        Assert.Equal($"cannot reach LLM endpoint http://127.0.0.1:{port}/v1: connection refused", result.Error);
    }

    [Fact]
    public async Task RunAsync_Fails_WhenModelOnlyThinks()
    {
        _server.ReplyText("<think>hmm</think>  ");
        using var runner = Harness.Runner(_server.Endpoint);

        var result = await runner.RunAsync(Harness.Context(_hand.Definition(Harness.Manifest())), CancellationToken.None).WithSafety();

        Assert.Equal(ExecutionOutcome.Failure, result.Outcome);
        Assert.Contains("returned an empty answer", result.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task RunAsync_NamesTheModel_WhenEndpointSaysModelNotFound()
    {
        _server.ReplyJson(404, """{"error":{"message":"model \"llama9:70b\" not found, try pulling it first","type":"api_error"}}""");
        using var runner = Harness.Runner(_server.Endpoint);
        var hand = _hand.Definition(Harness.Manifest(agent: new AgentSpec { Model = "llama9:70b" }));

        var result = await runner.RunAsync(Harness.Context(hand), CancellationToken.None).WithSafety();

        Assert.Equal(ExecutionOutcome.Failure, result.Outcome);
        Assert.Equal(
            $"model 'llama9:70b' not found at LLM endpoint {_server.Endpoint} (HTTP 404: model \"llama9:70b\" not found, try pulling it first)",
            result.Error);
    }

    [Theory]
    [InlineData(500, "oops", "failed for model 'test-model' (HTTP 500: oops)")]
    [InlineData(200, """{"error":"model is loading"}""", "reported an error for model 'test-model': model is loading")]
    [InlineData(200, "<html>proxy</html>", "not chat completion JSON")]
    [InlineData(200, """{"choices":[]}""", "returned no message for model 'test-model'")]
    public async Task RunAsync_FailsClearly_WhenEndpointAnswersBadly(int status, string body, string expected)
    {
        _server.ReplyJson(status, body);
        using var runner = Harness.Runner(_server.Endpoint);

        var result = await runner.RunAsync(Harness.Context(_hand.Definition(Harness.Manifest())), CancellationToken.None).WithSafety();

        Assert.Equal(ExecutionOutcome.Failure, result.Outcome);
        Assert.Contains(expected, result.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task RunAsync_Fails_WhenModelAnswersWithNoContent()
    {
        _server.ReplyText(null);
        using var runner = Harness.Runner(_server.Endpoint);

        var result = await runner.RunAsync(Harness.Context(_hand.Definition(Harness.Manifest())), CancellationToken.None).WithSafety();

        Assert.Equal(ExecutionOutcome.Failure, result.Outcome);
        Assert.Equal("model 'test-model' returned an empty answer (no text and no tool calls)", result.Error);
    }

    [Fact]
    public async Task RunAsync_SendsApiKeyAsBearer_AndNeverPutsItInErrors()
    {
        const string Key = "sk-secret-4242";
        _server.ReplyJson(401, $$$"""{"error":{"message":"Incorrect API key provided: {{{Key}}}"}}""");
        using var runner = Harness.Runner(_server.Endpoint, apiKey: Key);

        var result = await runner.RunAsync(Harness.Context(_hand.Definition(Harness.Manifest())), CancellationToken.None).WithSafety();

        Assert.Equal($"Bearer {Key}", Assert.Single(_server.Requests).Authorization);
        Assert.Equal(ExecutionOutcome.Failure, result.Outcome);
        Assert.Contains("HTTP 401", result.Error, StringComparison.Ordinal);
        Assert.Contains("Incorrect API key provided: ***", result.Error, StringComparison.Ordinal);
        Assert.DoesNotContain(Key, result.Error, StringComparison.Ordinal);
        Assert.DoesNotContain(Key, result.State ?? "", StringComparison.Ordinal);
    }

    [Fact]
    public async Task RunAsync_TimesOut_WhenModelDoesNotAnswerWithinAgentTimeout()
    {
        _server.Hang();
        var time = new FakeTimeProvider(Harness.Now);
        using var runner = Harness.Runner(_server.Endpoint, time: time);
        var hand = _hand.Definition(Harness.Manifest(agent: new AgentSpec { Model = "m", Timeout = TimeSpan.FromSeconds(90) }));

        var run = runner.RunAsync(Harness.Context(hand), CancellationToken.None);
        await _server.FirstRequest.WaitAsync(Harness.Safety);
        time.Advance(TimeSpan.FromSeconds(89));
        Assert.False(run.IsCompleted);
        time.Advance(TimeSpan.FromSeconds(1));
        var result = await run.WithSafety();

        Assert.Equal(ExecutionOutcome.Timeout, result.Outcome);
        Assert.Equal("agent run timed out after 90 s ([agent] timeout)", result.Error);
    }

    [Fact]
    public async Task RunAsync_TimesOutAndStopsTheTool_WhenToolOutlivesAgentTimeout()
    {
        _hand.AddTool("stuck", "sleep 600", "description = \"Hangs\"\ntimeout = 600");
        _server.ReplyToolCalls(("c1", "stuck", "{}"));
        var time = new FakeTimeProvider(Harness.Now);
        var processes = new SignallingProcessRunner(Harness.RealProcesses());
        using var runner = Harness.Runner(_server.Endpoint, time: time, processes: processes);
        var hand = _hand.Definition(Harness.Manifest(required: ["stuck"], agent: new AgentSpec { Model = "m", Timeout = TimeSpan.FromSeconds(30) }));

        var run = runner.RunAsync(Harness.Context(hand), CancellationToken.None);
        await processes.Started.WaitAsync(Harness.Safety);
        time.Advance(TimeSpan.FromSeconds(30));
        var result = await run.WithSafety();

        Assert.Equal(ExecutionOutcome.Timeout, result.Outcome);
        Assert.True(processes.LastResult!.Cancelled);
        Assert.Single(_server.Requests);
    }

    [Fact]
    public async Task RunAsync_Throws_WhenCallerCancels()
    {
        _server.Hang();
        using var runner = Harness.Runner(_server.Endpoint);
        using var cts = new CancellationTokenSource();

        var run = runner.RunAsync(Harness.Context(_hand.Definition(Harness.Manifest())), cts.Token);
        await _server.FirstRequest.WaitAsync(Harness.Safety);
        await cts.CancelAsync();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => run.WithSafety());
    }

    [Fact]
    public async Task RunAsync_FailsBeforeCallingModel_WhenRequiredToolIsMissing()
    {
        using var runner = Harness.Runner(_server.Endpoint);

        var result = await runner.RunAsync(Harness.Context(_hand.Definition(Harness.Manifest(required: ["mempool_fetch"]))), CancellationToken.None).WithSafety();

        Assert.Equal(ExecutionOutcome.Failure, result.Outcome);
        Assert.Equal($"required tool 'mempool_fetch' not found: expected an executable {Path.Combine(_hand.Directory, "tools", "mempool_fetch")}", result.Error);
        Assert.Empty(_server.Requests);
    }

    [Fact]
    public async Task RunAsync_FailsClearly_WhenHandIsInvalid()
    {
        using var runner = Harness.Runner(_server.Endpoint);
        var hand = _hand.Definition(Harness.Manifest()) with
        {
            Diagnostics = [new Diagnostic(Severity.Error, "hands/probe/HAND.toml", 3, 12, "schedule", "cron expression has 4 fields")],
        };

        var result = await runner.RunAsync(Harness.Context(hand), CancellationToken.None).WithSafety();

        Assert.Equal(ExecutionOutcome.Failure, result.Outcome);
        Assert.Equal("hand 'probe' is invalid: hands/probe/HAND.toml(3,12): schedule: cron expression has 4 fields", result.Error);
    }

    [Fact]
    public async Task RunAsync_Fails_WhenEndpointIsNotHttp()
    {
        using var runner = Harness.Runner("ftp://example/v1");

        var result = await runner.RunAsync(Harness.Context(_hand.Definition(Harness.Manifest())), CancellationToken.None).WithSafety();

        Assert.Equal("LLM endpoint 'ftp://example/v1' is not an http(s) URL", result.Error);
    }

    [Fact]
    public async Task RunAsync_PrefersManifestEndpointAndDefaultModel_OverConfig()
    {
        _server.ReplyText("hi");
        using var runner = Harness.Runner($"http://127.0.0.1:{UnusedPort()}/v1");
        var hand = _hand.Definition(Harness.Manifest(agent: new AgentSpec { Endpoint = _server.Endpoint + "/" }));

        var result = await runner.RunAsync(Harness.Context(hand), CancellationToken.None).WithSafety();

        Assert.Equal(ExecutionOutcome.Success, result.Outcome);
        Assert.Equal(AgentRunner.DefaultModel, Assert.Single(_server.Requests).Body["model"]!.GetValue<string>());
    }

    private static int UnusedPort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
