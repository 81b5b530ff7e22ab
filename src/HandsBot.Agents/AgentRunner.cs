using System.Globalization;
using System.Text.Json;
using HandsBot.Agents.Conversation;
using HandsBot.Agents.Llm;
using HandsBot.Agents.Prompting;
using HandsBot.Agents.Tools;
using HandsBot.Core.Configuration;
using HandsBot.Core.Engine;
using HandsBot.Core.Model;
using HandsBot.Core.Running;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace HandsBot.Agents;

/// <summary>
/// Runs agent hands: a model behind an OpenAI-compatible chat completions endpoint, in a loop that
/// runs the tools it calls until it answers. A call to a gated tool stops the run (ApprovalPending)
/// with the conversation saved in <see cref="AgentRunResult.State"/>; <see cref="ResumeAsync"/>
/// continues it, possibly in another process, after the human decision.
/// </summary>
public sealed partial class AgentRunner : IAgentRunner, IDisposable
{
    /// <summary>Used when a hand's [agent] names no model.</summary>
    public const string DefaultModel = "llama3.1:8b";

    /// <summary>Used when neither [agent] endpoint nor [llm] endpoint is set (Ollama on this machine).</summary>
    public const string DefaultEndpoint = "http://localhost:11434/v1";

    private readonly LlmOptions _options;
    private readonly ToolInvoker _tools;
    private readonly TimeProvider _time;
    private readonly ILogger<AgentRunner> _logger;
    private readonly HttpClient _http;
    private readonly bool _ownsHttp;
    private readonly ChatCompletionsClient _client;

    public AgentRunner(IOptions<LlmOptions> options, IProcessRunner processes, TimeProvider time, ILogger<AgentRunner> logger)
        : this(options, processes, time, logger, CreateHttpClient(), ownsHttp: true)
    {
    }

    internal AgentRunner(IOptions<LlmOptions> options, IProcessRunner processes, TimeProvider time, ILogger<AgentRunner> logger, HttpClient http, bool ownsHttp)
    {
        _options = options.Value;
        _tools = new ToolInvoker(processes);
        _time = time;
        _logger = logger;
        _http = http;
        _ownsHttp = ownsHttp;
        _client = new ChatCompletionsClient(http);
    }

    public async Task<AgentRunResult> RunAsync(AgentRunContext context, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(context);
        if (!TryStart(context, out var session, out var setupError))
            return Failure(setupError, prompt: null, state: null);

        var prompt = PromptComposer.ComposeSystem(context.Hand, session.Tools, context.Execution.Trigger, context.Now);
        var state = new AgentState
        {
            Messages =
            [
                new ChatMessage { Role = ChatMessage.System, Content = prompt },
                new ChatMessage { Role = ChatMessage.User, Content = PromptComposer.ComposeTask(context.Execution.Trigger) + UntrustedInput.Describe(context.Execution, context.Parent) },
            ],
        };
        LogRunStarting(session.Hand, context.Execution.Id, session.Model, session.Endpoint.Display, session.Tools.Count);
        return await DriveAsync(session, state, decision: null, ct).ConfigureAwait(false);
    }

    public async Task<AgentRunResult> ResumeAsync(AgentRunContext context, string savedState, GateDecision decision, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(context);
        ArgumentNullException.ThrowIfNull(decision);
        var state = AgentState.TryDeserialize(savedState ?? "", out var stateError);
        if (state is null)
            return Failure($"cannot resume: {stateError}", prompt: null, state: savedState);
        if (state.Pending.Count == 0)
            return Failure("cannot resume: the saved conversation has no tool call waiting for a decision", state.SystemPrompt, savedState);
        if (!TryStart(context, out var session, out var setupError))
            return Failure(setupError, state.SystemPrompt, savedState);

        LogRunResuming(session.Hand, context.Execution.Id, state.Pending[0].Function.Name, decision.Status, decision.DecidedBy);
        return await DriveAsync(session, state, decision, ct).ConfigureAwait(false);
    }

    public void Dispose()
    {
        if (_ownsHttp)
            _http.Dispose();
    }

    private bool TryStart(AgentRunContext context, out AgentSession session, out string error)
    {
        session = null!;
        var manifest = context.Hand.Manifest;
        if (manifest is null || !context.Hand.IsValid)
        {
            error = $"hand '{context.Hand.Name}' is invalid: " + string.Join("; ", context.Hand.Errors.Select(e => e.ToString()).DefaultIfEmpty("its manifest could not be read"));
            return false;
        }

        IReadOnlyList<ToolDefinition> tools;
        try
        {
            tools = ToolCatalog.Resolve(context.Hand, string.IsNullOrWhiteSpace(_options.ToolsDir) ? null : _options.ToolsDir);
        }
        catch (AgentSetupException e)
        {
            error = e.Message;
            return false;
        }

        // The manifest validator rejects non-positive limits; these guards keep a hand-built spec safe too.
        var spec = manifest.Agent ?? new AgentSpec();
        if (spec.Timeout <= TimeSpan.Zero)
            spec = spec with { Timeout = new AgentSpec().Timeout };
        if (spec.MaxIterations < 1)
            spec = spec with { MaxIterations = 1 };
        var endpoint = FirstNonBlank(spec.Endpoint, _options.Endpoint, DefaultEndpoint);
        if (!Uri.TryCreate(endpoint, UriKind.Absolute, out var uri) || uri.Scheme is not ("http" or "https"))
        {
            error = $"LLM endpoint '{endpoint}' is not an http(s) URL";
            return false;
        }

        session = new AgentSession(
            manifest,
            new LlmEndpoint(endpoint.TrimEnd('/'), _options.ApiKey ?? ""),
            FirstNonBlank(spec.Model, DefaultModel),
            spec,
            tools,
            new ToolRunContext(manifest.Name, context.Hand.Directory, context.Execution.Id));
        error = "";
        return true;
    }

    private async Task<AgentRunResult> DriveAsync(AgentSession session, AgentState state, GateDecision? decision, CancellationToken ct)
    {
        using var timeout = new CancellationTokenSource(session.Spec.Timeout, _time);
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(ct, timeout.Token);
        try
        {
            if (decision is not null)
                await ApplyDecisionAsync(session, state, decision, linked.Token).ConfigureAwait(false);
            return await LoopAsync(session, state, linked.Token).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (timeout.IsCancellationRequested && !ct.IsCancellationRequested)
        {
            var seconds = session.Spec.Timeout.TotalSeconds.ToString("0.###", CultureInfo.InvariantCulture);
            LogRunTimedOut(session.Hand, seconds);
            return new AgentRunResult
            {
                Outcome = ExecutionOutcome.Timeout,
                Error = $"agent run timed out after {seconds} s ([agent] timeout)",
                Prompt = state.SystemPrompt,
                State = state.Serialize(),
            };
        }
        catch (LlmException e)
        {
            LogRunFailed(session.Hand, e.Message);
            return Failure(e.Message, state.SystemPrompt, state.Serialize());
        }
    }

    private async Task ApplyDecisionAsync(AgentSession session, AgentState state, GateDecision decision, CancellationToken ct)
    {
        var call = state.Pending[0];
        string result;
        if (decision.Approved)
        {
            var tool = session.FindTool(call.Function.Name);
            result = tool is null
                ? $"error: the action was approved but tool '{call.Function.Name}' is no longer available"
                : (await _tools.InvokeAsync(tool, ArgumentsOrEmpty(call), session.ToolContext, ct).ConfigureAwait(false)).Text;
        }
        else
        {
            var why = decision.Status == ApprovalStatus.Expired
                ? "no human approved it before the request expired"
                : "a human rejected it";
            result = $"refused: the call to {call.Function.Name} was not run because {why}. Do not retry it; continue without it.";
        }
        state.Messages.Add(ToolMessage(call, result));
        state.Pending.RemoveAt(0);
    }

    private async Task<AgentRunResult> LoopAsync(AgentSession session, AgentState state, CancellationToken ct)
    {
        while (true)
        {
            while (state.Pending.Count > 0)
            {
                var call = state.Pending[0];
                var held = await AnswerCallAsync(session, state, call, ct).ConfigureAwait(false);
                if (held is not null)
                    return held;
                state.Pending.RemoveAt(0);
            }

            var request = new ChatRequest
            {
                Model = session.Model,
                Messages = state.Messages,
                Tools = session.ToolSpecs,
                Temperature = session.Spec.Temperature,
            };
            var reply = await _client.CompleteAsync(session.Endpoint, request, ct).ConfigureAwait(false);
            state.Iterations++;

            if (reply.ToolCalls is { Count: > 0 } calls)
            {
                for (var i = 0; i < calls.Count; i++)
                    calls[i].Id ??= $"call_{state.Iterations}_{i}";
                state.Messages.Add(new ChatMessage { Role = ChatMessage.Assistant, Content = reply.Content, ToolCalls = calls });
                if (state.Iterations >= session.Spec.MaxIterations)
                {
                    var max = session.Spec.MaxIterations;
                    return Failure($"model still calling tools after {max} turns (max_iterations = {max} in [agent])", state.SystemPrompt, state.Serialize());
                }
                state.Pending.AddRange(calls);
                continue;
            }

            var answer = AnswerText.WithoutReasoning(reply.Content);
            if (answer.Length == 0)
                return Failure($"model '{session.Model}' returned an empty answer (no text and no tool calls)", state.SystemPrompt, state.Serialize());

            state.Messages.Add(new ChatMessage { Role = ChatMessage.Assistant, Content = reply.Content });
            LogRunSucceeded(session.Hand, state.Iterations);
            return new AgentRunResult
            {
                Outcome = ExecutionOutcome.Success,
                Output = answer,
                Prompt = state.SystemPrompt,
                State = state.Serialize(),
            };
        }
    }

    /// <summary>Answers one tool call of the model, or returns the held result when a gate stops it.</summary>
    private async Task<AgentRunResult?> AnswerCallAsync(AgentSession session, AgentState state, ToolCall call, CancellationToken ct)
    {
        var name = call.Function.Name;
        var tool = session.FindTool(name);
        string result;
        if (tool is null)
        {
            var offered = session.Tools.Count == 0 ? "none" : string.Join(", ", session.Tools.Select(t => t.Name));
            result = $"error: there is no tool named '{name}'. Available tools: {offered}.";
        }
        else if (!IsJsonObject(ArgumentsOrEmpty(call), out var problem))
        {
            LogBadArguments(session.Hand, name);
            result = $"error: the arguments for {name} are not a valid JSON object ({problem}). Call {name} again with a JSON object that matches its parameters schema.";
        }
        else if (session.GateFor(name) is { } gate)
        {
            LogGateHeld(session.Hand, name, gate.Key);
            return new AgentRunResult
            {
                Outcome = ExecutionOutcome.ApprovalPending,
                Prompt = state.SystemPrompt,
                State = state.Serialize(),
                PendingCall = new GatedCall(gate.Key, Summarize(gate, name, ArgumentsOrEmpty(call)), ArgumentsOrEmpty(call)),
            };
        }
        else
        {
            var outcome = await _tools.InvokeAsync(tool, ArgumentsOrEmpty(call), session.ToolContext, ct).ConfigureAwait(false);
            LogToolCalled(session.Hand, name, outcome.Success);
            result = outcome.Text;
        }
        state.Messages.Add(ToolMessage(call, result));
        return null;
    }

    private static string Summarize(ApprovalGate gate, string tool, string argumentsJson)
    {
        const int Max = 200;
        var what = string.IsNullOrWhiteSpace(gate.Description) ? gate.Action : gate.Description.Trim();
        var compact = argumentsJson;
        try
        {
            using var doc = JsonDocument.Parse(argumentsJson);
            compact = JsonSerializer.Serialize(doc.RootElement, LlmJsonContext.Default.JsonElement);
        }
        catch (JsonException)
        {
            // Already validated; keep the raw text if that ever changes.
        }
        var line = $"{what}: {tool} {compact}".ReplaceLineEndings(" ");
        return line.Length <= Max ? line : line[..(Max - 1)] + "…";
    }

    private static bool IsJsonObject(string json, out string problem)
    {
        try
        {
            using var doc = JsonDocument.Parse(json);
            problem = doc.RootElement.ValueKind == JsonValueKind.Object ? "" : $"got a JSON {doc.RootElement.ValueKind.ToString().ToLowerInvariant()}";
            return problem.Length == 0;
        }
        catch (JsonException e)
        {
            problem = e.Message;
            return false;
        }
    }

    private static string ArgumentsOrEmpty(ToolCall call) =>
        string.IsNullOrWhiteSpace(call.Function.Arguments) ? "{}" : call.Function.Arguments;

    private static ChatMessage ToolMessage(ToolCall call, string content) =>
        new() { Role = ChatMessage.Tool, ToolCallId = call.Id, Content = content };

    private static AgentRunResult Failure(string error, string? prompt, string? state) =>
        new() { Outcome = ExecutionOutcome.Failure, Error = error, Prompt = prompt, State = state };

    private static string FirstNonBlank(params string?[] values) => values.First(v => !string.IsNullOrWhiteSpace(v))!.Trim();

    private static HttpClient CreateHttpClient() =>
        // The run's own timeout (and the caller's token) bound each request, not HttpClient's 100 s default.
        new(new SocketsHttpHandler { PooledConnectionLifetime = TimeSpan.FromMinutes(5), ConnectTimeout = TimeSpan.FromSeconds(15) })
        {
            Timeout = Timeout.InfiniteTimeSpan,
        };

    [LoggerMessage(Level = LogLevel.Information, Message = "Agent {Hand} starting execution {ExecutionId} with model {Model} at {Endpoint}, {ToolCount} tools")]
    private partial void LogRunStarting(string hand, string executionId, string model, string endpoint, int toolCount);

    [LoggerMessage(Level = LogLevel.Information, Message = "Agent {Hand} resuming execution {ExecutionId}: gated call {Tool} {Decision} by {DecidedBy}")]
    private partial void LogRunResuming(string hand, string executionId, string tool, ApprovalStatus decision, string decidedBy);

    [LoggerMessage(Level = LogLevel.Information, Message = "Agent {Hand} answered after {Turns} model turns")]
    private partial void LogRunSucceeded(string hand, int turns);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Agent {Hand} failed: {Error}")]
    private partial void LogRunFailed(string hand, string error);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Agent {Hand} timed out after {Seconds} s")]
    private partial void LogRunTimedOut(string hand, string seconds);

    [LoggerMessage(Level = LogLevel.Information, Message = "Agent {Hand} called tool {Tool}: success {Success}")]
    private partial void LogToolCalled(string hand, string tool, bool success);

    [LoggerMessage(Level = LogLevel.Information, Message = "Agent {Hand} sent malformed arguments for {Tool}; the model was told")]
    private partial void LogBadArguments(string hand, string tool);

    [LoggerMessage(Level = LogLevel.Information, Message = "Agent {Hand} call to {Tool} held by gate {Gate} for approval")]
    private partial void LogGateHeld(string hand, string tool, string gate);
}
