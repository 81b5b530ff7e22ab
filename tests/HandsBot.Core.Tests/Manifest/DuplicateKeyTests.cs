using HandsBot.Core.Manifest.Parsing;
using static HandsBot.Core.Tests.Manifest.TestContexts;

namespace HandsBot.Core.Tests.Manifest;

public sealed class DuplicateKeyTests
{
    [Theory]
    [InlineData("[hand]\nname = \"a\"\nname = \"b\"\n", 3)]
    [InlineData("[hand]\nname = \"a\"\n[output]\nformat = \"json\"\n[hand]\ndescription = \"x\"\n", 5)]
    [InlineData("[hand]\n[approval_gates.post]\naction = \"a\"\n[approval_gates . post]\n", 4)]
    [InlineData("[hand]\n[output]\nformat = \"json\"\n  format   = \"text\"\n", 4)]
    [InlineData("[hand]\npost = { action = \"a\", action = \"b\" }\n", 2)]
    [InlineData("[hand]\n\"name\" = \"a\"\nname = \"b\"\n", 3)]
    [InlineData("[\"hand\"]\n[hand]\n", 2)]
    [InlineData("[hand]\n[parameters]\na.b = 1\n[parameters.a]\nb = 2\n", 5)]
    public void Parse_ReportsKeyDefinedTwice(string toml, int line)
    {
        var (manifest, diagnostics) = Parse(toml);

        Assert.Null(manifest);
        Assert.All(diagnostics, d => Assert.StartsWith("TOML syntax error: ", d.Message, StringComparison.Ordinal));
        Assert.Contains(diagnostics, d => d.IsError && d.Line == line);
    }

    [Theory]
    [InlineData("[hand]\nname = \"a\"\n[output]\nname = \"b\"\n")]
    [InlineData("[[parameters.feeds]]\nurl = \"a\"\n[[parameters.feeds]]\nurl = \"b\"\n[hand]\n")]
    [InlineData("[hand]\ndescription = \"\"\"\nname = 1\nname = 2\n\"\"\"\n")]
    [InlineData("[hand]\n# name = 1\n# name = 2\nname = \"a\"\n")]
    [InlineData("[approval_gates]\npost = { action = \"a\", description = \"b, c = d\" }\nrestart = { action = \"r\" }\n[hand]\n")]
    public void Scan_FindsNoDuplicates_InValidFiles(string toml)
    {
        Assert.False(DuplicateKeyScan.MayHaveDuplicates(toml));
        Assert.DoesNotContain(Parse(toml).Diagnostics, d => d.IsError);
    }

    [Theory]
    [InlineData("a = 1\na = 2\n")]
    [InlineData("[x]\n[y]\n[x]\n")]
    [InlineData("[ x ]\n[x]\n")]
    [InlineData("[x]\ny = 1\n[x.y]\n")]
    [InlineData("[x.y]\n[x]\ny = 1\n")]
    [InlineData("g = { a = 1, a = 2 }\n")]
    [InlineData("g = { a = { b = 1 } }\n")]
    [InlineData("a.b = 1\n")]
    public void Scan_FlagsRepeatedKeysAndTables(string toml)
    {
        Assert.True(DuplicateKeyScan.MayHaveDuplicates(toml));
    }
}
