using HandsBot.Core.Model;
using static HandsBot.Core.Tests.Manifest.TestContexts;

namespace HandsBot.Core.Tests.Manifest;

/// <summary>Unknown keys and doubtful settings are warnings with a position: they never make a hand invalid.</summary>
public sealed class WarningTests
{
    public static TheoryData<string, int, int, string, string> Cases => new()
    {
        { "[hand]\nschedual = \"0 7 * * *\"\n", 2, 1, "schedual", "unknown key, ignored (did you mean 'schedule'?)" },
        { "[hand]\ndescripton = \"x\"\n", 2, 1, "descripton", "did you mean 'description'?" },
        { "[hand]\ncolour = \"blue\"\n", 2, 1, "colour", "unknown key, ignored" },
        { "schedule = \"0 7 * * *\"\n[hand]\n", 1, 1, "schedule", "did you mean to put 'schedule' under [hand]?" },
        { "[hand]\n[outptu]\nformat = \"json\"\n", 2, 2, "outptu", "did you mean [output]?" },
        { "[hand]\n[output]\nfromat = \"json\"\n", 3, 1, "output.fromat", "did you mean 'format'?" },
        { "[hand]\n[run]\ncommand = \"x\"\ntimout = 5\n", 4, 1, "run.timout", "did you mean 'timeout'?" },
        { "[hand]\n[agent]\nmodle = \"x\"\n", 3, 1, "agent.modle", "did you mean 'model'?" },
        { "[hand]\n[tools]\nrequried = []\n", 3, 1, "tools.requried", "did you mean 'required'?" },
        { "[hand]\n[hand.schedule]\ninterval = 5\ntimezon = \"UTC\"\n", 4, 1, "schedule.timezon", "did you mean 'timezone'?" },
        { "[hand]\n[approval_gates]\npost = { acton = \"broadcast\" }\n", 3, 10, "approval_gates.post.acton", "did you mean 'action'?" },
        { "[hand]\n[approval_gates]\npost = { auto_approve_after = 600, expires_after = 300 }\n", 3, 31, "approval_gates.post.auto_approve_after", "expires before it is auto-approved" },
        { "[hand]\n[hand.schedule]\nat = [\"07:00\", \"7:00\"]\n", 3, 6, "schedule.at", "listed twice" },
    };

    [Theory]
    [MemberData(nameof(Cases))]
    public void Parse_ReportsWarning_WithLineAndKey(string toml, int line, int column, string key, string message)
    {
        var (manifest, diagnostics) = Parse(toml);

        Assert.NotNull(manifest);
        Assert.DoesNotContain(diagnostics, d => d.IsError);
        var warning = Assert.Single(diagnostics);
        Assert.Equal(Severity.Warning, warning.Severity);
        Assert.Equal(key, warning.Key);
        Assert.Contains(message, warning.Message, StringComparison.Ordinal);
        Assert.Equal(line, warning.Line);
        Assert.Equal(column, warning.Column);
        Assert.Contains("warning: ", warning.ToString(), StringComparison.Ordinal);
    }
}
