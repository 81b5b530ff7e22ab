using System.Text.Json.Nodes;
using HandsBot.Agents.Tests.Fakes;
using HandsBot.Agents.Tools;
using HandsBot.Core.Model;
using Tomlyn;
using Tomlyn.Model;

namespace HandsBot.Agents.Tests;

/// <summary>The example hands in the repository's hands/ folder: their tools resolve and sentinel's run offline.</summary>
public sealed class ExampleHandsTests
{
    [Theory]
    [InlineData("sentinel", new[] { "load_read", "memory_read", "disk_read", "tmp_clean" })]
    [InlineData("oracle", new[] { "price_fetch", "fees_fetch", "mempool_stats", "blocks_recent" })]
    public void Resolve_FindsEveryToolWithItsSidecar_ForExampleHand(string name, string[] expected)
    {
        var tools = ToolCatalog.Resolve(ExampleHand(name), null);

        Assert.Equal(expected, tools.Select(t => t.Name));
        Assert.All(tools, t => Assert.False(string.IsNullOrWhiteSpace(t.Description)));
        Assert.Empty(AgentTools.Check(ExampleHand(name), null));
    }

    [Fact]
    public async Task RunAsync_ReadsRealHostFigures_WhenSentinelCallsItsTools()
    {
        await using var server = await FakeLlmServer.StartAsync();
        server.ReplyToolCalls(("a", "load_read", "{}"), ("b", "memory_read", "{}"), ("c", "disk_read", """{"mount":"/"}"""))
            .ReplyText("✅ healthy");
        using var runner = Harness.Runner(server.Endpoint);

        var result = await runner.RunAsync(Harness.Context(ExampleHand("sentinel")), CancellationToken.None).WithSafety();

        Assert.Equal(ExecutionOutcome.Success, result.Outcome);
        var toolResults = server.Requests[1].Messages.Where(m => m!["role"]!.GetValue<string>() == "tool")
            .Select(m => JsonNode.Parse(m!["content"]!.GetValue<string>())!).ToList();
        Assert.True(toolResults[0]["cores"]!.GetValue<int>() >= 1);
        Assert.True(toolResults[1]["total_mib"]!.GetValue<int>() > 0);
        Assert.Equal("/", toolResults[2][0]!["mount"]!.GetValue<string>());
    }

    [Fact]
    public async Task RunAsync_HoldsTmpClean_WhenSentinelWantsToDeleteFiles()
    {
        await using var server = await FakeLlmServer.StartAsync();
        server.ReplyToolCalls(("a", "tmp_clean", """{"days":7}"""));
        using var runner = Harness.Runner(server.Endpoint);

        var result = await runner.RunAsync(Harness.Context(ExampleHand("sentinel")), CancellationToken.None).WithSafety();

        Assert.Equal(ExecutionOutcome.ApprovalPending, result.Outcome);
        Assert.Equal("tmp_clean", result.PendingCall!.Gate);
    }

    /// <summary>A definition built from the example's HAND.toml ([tools], [approval_gates]) and prompt files.</summary>
    private static HandDefinition ExampleHand(string name)
    {
        var dir = Path.Combine(RepositoryRoot(), "hands", name);
        var toml = TomlSerializer.Deserialize<TomlTable>(File.ReadAllText(Path.Combine(dir, "HAND.toml")))!;
        var tools = (TomlTable)toml["tools"];
        var gates = ((TomlTable)toml["approval_gates"]).Select(g =>
        {
            var gate = (TomlTable)g.Value!;
            return new ApprovalGate { Key = g.Key, Action = (string)gate["action"], Description = (string)gate["description"] };
        });
        var manifest = Harness.Manifest(
            name: name,
            required: [.. ((TomlArray)tools["required"]).Cast<string>()],
            optional: [.. ((TomlArray)tools["optional"]).Cast<string>()],
            gates: [.. gates]);
        return new HandDefinition
        {
            Name = name,
            Directory = dir,
            ManifestPath = Path.Combine(dir, "HAND.toml"),
            Manifest = manifest,
            SystemPrompt = File.ReadAllText(Path.Combine(dir, "SYSTEM.md")),
            Skills = [.. Directory.GetFiles(Path.Combine(dir, "skills"), "*.md").Order(StringComparer.Ordinal)
                .Select(f => new SkillFile(Path.GetFileName(f), File.ReadAllText(f)))],
        };
    }

    private static string RepositoryRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "HandsBot.sln")))
                return dir.FullName;
        }
        throw new InvalidOperationException("HandsBot.sln not found above " + AppContext.BaseDirectory);
    }
}
