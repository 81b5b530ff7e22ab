using System.Collections.Concurrent;
using System.Text;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;

namespace HandsBot.Agents.Tests.Fakes;

/// <summary>
/// An OpenAI-compatible chat completions server on Kestrel (127.0.0.1, port 0) that answers from a
/// script, in order, and records every request it gets.
/// </summary>
public sealed class FakeLlmServer : IAsyncDisposable
{
    private readonly WebApplication _app;
    private readonly ConcurrentQueue<Func<HttpContext, Task>> _script = new();
    private readonly ConcurrentQueue<RecordedRequest> _requests = new();
    private readonly TaskCompletionSource _firstRequest = new(TaskCreationOptions.RunContinuationsAsynchronously);

    private FakeLlmServer(WebApplication app) => _app = app;

    /// <summary>The base URL to configure as the LLM endpoint (ends in /v1).</summary>
    public string Endpoint { get; private set; } = "";

    public IReadOnlyList<RecordedRequest> Requests => [.. _requests];

    /// <summary>Completes when the first request has been recorded.</summary>
    public Task FirstRequest => _firstRequest.Task;

    public static async Task<FakeLlmServer> StartAsync()
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        builder.Logging.ClearProviders();
        var app = builder.Build();
        var server = new FakeLlmServer(app);
        app.MapPost("/v1/chat/completions", server.HandleAsync);
        await app.StartAsync();
        server.Endpoint = app.Urls.First() + "/v1";
        return server;
    }

    /// <summary>Next answer: a plain assistant message.</summary>
    public FakeLlmServer ReplyText(string? content) =>
        ReplyJson(200, Completion(new JsonObject { ["role"] = "assistant", ["content"] = content }));

    /// <summary>Next answer: an assistant turn calling tools; each call is (id, name, arguments as JSON text).</summary>
    public FakeLlmServer ReplyToolCalls(params (string Id, string Name, string Arguments)[] calls)
    {
        var array = new JsonArray();
        foreach (var (id, name, arguments) in calls)
        {
            array.Add(new JsonObject
            {
                ["id"] = id,
                ["type"] = "function",
                ["function"] = new JsonObject { ["name"] = name, ["arguments"] = arguments },
            });
        }
        return ReplyJson(200, Completion(new JsonObject { ["role"] = "assistant", ["content"] = "", ["tool_calls"] = array }));
    }

    public FakeLlmServer ReplyJson(int status, string body)
    {
        _script.Enqueue(async context =>
        {
            context.Response.StatusCode = status;
            context.Response.ContentType = "application/json";
            await context.Response.WriteAsync(body, context.RequestAborted);
        });
        return this;
    }

    /// <summary>Next answer: none; the request is held until the client gives up.</summary>
    public FakeLlmServer Hang()
    {
        _script.Enqueue(async context =>
        {
            try
            {
                await Task.Delay(Timeout.Infinite, context.RequestAborted);
            }
            catch (OperationCanceledException)
            {
                // The client cancelled, as expected.
            }
        });
        return this;
    }

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
    }

    private async Task HandleAsync(HttpContext context)
    {
        using var reader = new StreamReader(context.Request.Body, Encoding.UTF8);
        var body = await reader.ReadToEndAsync(context.RequestAborted);
        _requests.Enqueue(new RecordedRequest(context.Request.Headers.Authorization.ToString(), JsonNode.Parse(body)!.AsObject()));
        _firstRequest.TrySetResult();

        if (_script.TryDequeue(out var respond))
        {
            await respond(context);
            return;
        }
        context.Response.StatusCode = 500;
        await context.Response.WriteAsync("""{"error":{"message":"the fake server has no scripted response left"}}""", context.RequestAborted);
    }

    private static string Completion(JsonObject message) => new JsonObject
    {
        ["id"] = "chatcmpl-test",
        ["object"] = "chat.completion",
        ["choices"] = new JsonArray(new JsonObject { ["index"] = 0, ["message"] = message, ["finish_reason"] = "stop" }),
    }.ToJsonString();
}

/// <summary>One request the fake server got: its Authorization header and JSON body.</summary>
public sealed record RecordedRequest(string Authorization, JsonObject Body)
{
    public JsonArray Messages => Body["messages"]!.AsArray();

    public JsonObject LastMessage => Messages[^1]!.AsObject();

    public IEnumerable<string> ToolNames =>
        Body["tools"]?.AsArray().Select(t => t!["function"]!["name"]!.GetValue<string>()) ?? [];
}
