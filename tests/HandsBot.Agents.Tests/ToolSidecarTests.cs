using System.Text.Json;
using HandsBot.Agents.Tools;

namespace HandsBot.Agents.Tests;

public sealed class ToolSidecarTests
{
    [Fact]
    public void Parse_ConvertsParametersTableToJsonSchema()
    {
        const string Sidecar = """
            description = "  Disk usage of a mount point  "
            timeout = 2.5
            [parameters]
            type = "object"
            required = ["mount"]
            additionalProperties = false
            [parameters.properties.mount]
            type = "string"
            description = "Mount point"
            [parameters.properties.human]
            type = "boolean"
            default = true
            [parameters.properties.depth]
            type = "integer"
            minimum = 1
            """;

        var tool = ToolSidecar.Parse("disk", "/x/disk", Sidecar, "tools/disk.toml");

        Assert.Equal("Disk usage of a mount point", tool.Description);
        Assert.Equal(TimeSpan.FromSeconds(2.5), tool.Timeout);
        Assert.Equal(
            """{"type":"object","required":["mount"],"additionalProperties":false,"properties":{"mount":{"type":"string","description":"Mount point"},"human":{"type":"boolean","default":true},"depth":{"type":"integer","minimum":1}}}""",
            JsonSerializer.Serialize(tool.Parameters));
    }

    [Fact]
    public void Parse_GivesEmptyObjectSchemaAndDefaultTimeout_WhenOnlyDescriptionIsGiven()
    {
        var tool = ToolSidecar.Parse("load", "/x/load", "description = \"Load averages\"", "load.toml");

        Assert.Equal("""{"type":"object","properties":{}}""", JsonSerializer.Serialize(tool.Parameters));
        Assert.Equal(ToolSidecar.DefaultTimeout, tool.Timeout);
    }

    [Theory]
    [InlineData("description = ", "t.toml: invalid TOML")]
    [InlineData("timeout = 3", "t.toml: description: a non-empty string is required")]
    [InlineData("description = \"  \"", "t.toml: description: a non-empty string is required")]
    [InlineData("description = 5", "t.toml: description: a non-empty string is required")]
    [InlineData("description = \"d\"\ntimeout = 0", "t.toml: timeout: expected a positive number of seconds")]
    [InlineData("description = \"d\"\ntimeout = \"30s\"", "t.toml: timeout: expected a positive number of seconds")]
    [InlineData("description = \"d\"\nparameters = \"{}\"", "t.toml: parameters: expected a table")]
    [InlineData("description = \"d\"\n[parameters]\ntype = \"array\"", "t.toml: parameters.type: must be \"object\"")]
    [InlineData("description = \"d\"\ndescripton = \"typo\"", "t.toml: unknown key 'descripton'")]
    public void Parse_ThrowsClearError_WhenSidecarIsWrong(string sidecar, string expected)
    {
        var e = Assert.Throws<AgentSetupException>(() => ToolSidecar.Parse("t", "/x/t", sidecar, "t.toml"));

        Assert.StartsWith(expected, e.Message, StringComparison.Ordinal);
    }
}
