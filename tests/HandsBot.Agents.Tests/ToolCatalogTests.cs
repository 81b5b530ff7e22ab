using HandsBot.Agents.Tests.Fakes;
using HandsBot.Agents.Tools;

namespace HandsBot.Agents.Tests;

public sealed class ToolCatalogTests : IDisposable
{
    private readonly TempHand _hand = new();

    public void Dispose() => _hand.Dispose();

    [Fact]
    public void Resolve_ReturnsRequiredThenFoundOptionalTools_PreferringTheHandsOwn()
    {
        var shared = Path.Combine(_hand.Directory, "..", "shared");
        _hand.AddTool("b", "echo", "description = \"own b\"")
            .AddTool("b", "echo", "description = \"shared b\"", folder: shared)
            .AddTool("a", "echo", "description = \"shared a\"", folder: shared);

        var tools = ToolCatalog.Resolve(_hand.Definition(Harness.Manifest(required: ["b"], optional: ["missing", "a", "b"])), shared);

        Assert.Equal(["b", "a"], tools.Select(t => t.Name));
        Assert.Equal(["own b", "shared a"], tools.Select(t => t.Description));
    }

    [Fact]
    public void Resolve_Throws_WhenToolHasNoSidecar()
    {
        _hand.AddTool("bare", "echo", "description = \"x\"");
        File.Delete(_hand.PathOf("tools/bare.toml"));

        var e = Assert.Throws<AgentSetupException>(() => ToolCatalog.Resolve(_hand.Definition(Harness.Manifest(optional: ["bare"])), null));

        Assert.Equal($"tool 'bare' has no sidecar {Path.GetFullPath(_hand.PathOf("tools/bare"))}.toml (description and [parameters] for the model)", e.Message);
    }

    [Fact]
    public void Resolve_Throws_WhenToolNameCannotBeAFunctionName()
    {
        var e = Assert.Throws<AgentSetupException>(() => ToolCatalog.Resolve(_hand.Definition(Harness.Manifest(required: ["../evil"])), null));

        Assert.StartsWith("tool '../evil': names may use only", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Resolve_NamesSharedFolder_WhenRequiredToolIsMissingEverywhere()
    {
        var e = Assert.Throws<AgentSetupException>(() => ToolCatalog.Resolve(_hand.Definition(Harness.Manifest(required: ["gone"])), "/opt/tools"));

        Assert.EndsWith("or /opt/tools", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Check_ReportsEveryProblemWithItsFile_WhenSeveralToolsAreWrong()
    {
        _hand.AddTool("no_desc", "echo", "timeout = 5")
            .AddTool("fine", "echo", "description = \"ok\"");
        var hand = _hand.Definition(Harness.Manifest(required: ["gone", "no_desc", "fine"], optional: ["maybe"]));

        var problems = AgentTools.Check(hand, null);

        Assert.Equal(2, problems.Count);
        Assert.Equal(hand.ManifestPath, problems[0].File);
        Assert.Equal("tools.gone", problems[0].Key);
        Assert.StartsWith("required tool 'gone' not found", problems[0].Message, StringComparison.Ordinal);
        Assert.Equal(Path.GetFullPath(_hand.PathOf("tools/no_desc.toml")), problems[1].File);
        Assert.Equal("tools.no_desc", problems[1].Key);
        Assert.StartsWith("description: a non-empty string is required", problems[1].Message, StringComparison.Ordinal);
        Assert.All(problems, p => Assert.True(p.IsError));
    }

    [Fact]
    public void Check_ReportsMissingSidecar_WhenSidecarIsAFolder()
    {
        _hand.AddTool("odd", "echo", "description = \"x\"");
        File.Delete(_hand.PathOf("tools/odd.toml"));
        Directory.CreateDirectory(_hand.PathOf("tools/odd.toml"));

        var problem = Assert.Single(AgentTools.Check(_hand.Definition(Harness.Manifest(required: ["odd"])), null));

        Assert.StartsWith("tool 'odd' has no sidecar", problem.Message, StringComparison.Ordinal);
    }
}
