using HandsBot.Core.Configuration;
using HandsBot.Core.Engine;
using HandsBot.Core.Model;
using HandsBot.Core.Running;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;

namespace HandsBot.Agents.Tests.Fakes;

/// <summary>Builds runners, manifests and contexts the way the engine does.</summary>
public static class Harness
{
    public static readonly DateTimeOffset Now = new(2026, 11, 23, 22, 15, 0, TimeSpan.Zero);

    /// <summary>A safety net for awaits in tests; never reached when things work.</summary>
    public static readonly TimeSpan Safety = TimeSpan.FromSeconds(30);

    public static AgentRunner Runner(string endpoint, string apiKey = "", TimeProvider? time = null, string toolsDir = "", IProcessRunner? processes = null) =>
        new(
            Options.Create(new LlmOptions { Endpoint = endpoint, ApiKey = apiKey, ToolsDir = toolsDir }),
            processes ?? RealProcesses(),
            time ?? TimeProvider.System,
            NullLogger<AgentRunner>.Instance);

    /// <summary>The real process runner; tool timeouts are real time (a process cannot run on fake time).</summary>
    public static ProcessRunner RealProcesses() => new(TimeProvider.System, NullLogger<ProcessRunner>.Instance);

    public static HandManifest Manifest(
        string name = "probe",
        string[]? required = null,
        string[]? optional = null,
        ApprovalGate[]? gates = null,
        AgentSpec? agent = null) => new()
    {
        Name = name,
        Description = "Checks things",
        Agent = agent ?? new AgentSpec { Model = "test-model" },
        RequiredTools = required ?? [],
        OptionalTools = optional ?? [],
        Gates = gates ?? [],
    };

    public static ApprovalGate Gate(string key, string? action = null, string description = "") =>
        new() { Key = key, Action = action ?? key, Description = description };

    public static AgentRunContext Context(HandDefinition hand, RunTrigger trigger = RunTrigger.Manual, string id = "exec1", string? parentId = null) =>
        new(hand, new ExecutionRecord { Id = id, Hand = hand.Name, Trigger = trigger, StartedAt = Now, ParentId = parentId }, Now);

    public static async Task<T> WithSafety<T>(this Task<T> task) => await task.WaitAsync(Safety);
}
