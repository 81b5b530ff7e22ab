using HandsBot.Core.Manifest;
using HandsBot.Core.Model;

namespace HandsBot.Core.Tests.Manifest;

public sealed class LoaderTests : IDisposable
{
    private readonly HandFolder _folder = new();

    public void Dispose() => _folder.Dispose();

    private HandLoadContext Context(string? sharedTools = null) => TestContexts.Default(_folder.Root, sharedTools);

    [Fact]
    public void LoadHand_ReadsPromptSkillsAndPaths()
    {
        var dir = _folder.AddHand("oracle", "[hand]\ndescription = \"d\"\n");
        _folder.Write("hands/oracle/SYSTEM.md", "You are the oracle.");
        _folder.Write("hands/oracle/skills/b.md", "B");
        _folder.Write("hands/oracle/skills/A.md", "upper A");
        _folder.Write("hands/oracle/skills/a.md", "lower a");
        _folder.Write("hands/oracle/skills/notes.txt", "not a skill");

        var hand = HandLoader.LoadHand(dir, Context());

        Assert.True(hand.IsValid, string.Join('\n', hand.Diagnostics));
        Assert.Equal("oracle", hand.Name);
        Assert.Equal(Path.GetFullPath(dir), hand.Directory);
        Assert.Equal(Path.Combine(Path.GetFullPath(dir), "HAND.toml"), hand.ManifestPath);
        Assert.Equal("You are the oracle.", hand.SystemPrompt);
        Assert.Equal(["A", "a", "b"], hand.Skills.Select(s => s.Name));
        Assert.Equal("lower a", hand.Skills[1].Content);
        Assert.Matches("^[0-9a-f]{64}$", hand.ContentHash);
    }

    [Fact]
    public void LoadHand_RunWithoutCommand_SaysOnlyThatTheCommandIsMissing()
    {
        var dir = _folder.AddHand("broken", "[hand]\n[run]\ntimeout = 5\n");

        var hand = HandLoader.LoadHand(dir, Context());

        var problem = Assert.Single(hand.Diagnostics);
        Assert.Contains("[run] needs command", problem.Message, StringComparison.Ordinal);
        Assert.DoesNotContain(hand.Diagnostics, d => d.Message.Contains("SYSTEM.md", StringComparison.Ordinal));
    }

    [Fact]
    public void LoadHand_AnAgentHandWithoutSystemMd_StillGetsTheWarning()
    {
        var dir = _folder.AddHand("agent", "[hand]\n[agent]\nmodel = \"m\"\n");

        var hand = HandLoader.LoadHand(dir, Context());

        Assert.Contains(hand.Diagnostics, d => !d.IsError && d.Message.Contains("no SYSTEM.md", StringComparison.Ordinal));
    }

    [Fact]
    public void LoadHand_ATomlSyntaxError_ListsTheRealCauseFirst()
    {
        // The unclosed string on line 3 makes Tomlyn's parser trip over lines 5 and 6 too; it reports those first.
        var dir = _folder.AddHand("typo", "[hand]\nname = \"typo\"\nschedule = \"0 7 * * *\n[run]\ncommand = \"echo\"\n");

        var hand = HandLoader.LoadHand(dir, Context());

        var first = hand.Diagnostics[0];
        Assert.Equal((3, 22), (first.Line, first.Column));
        Assert.Equal("TOML syntax error: Invalid newline in a string", first.Message);
    }

    [Fact]
    public void LoadHand_ContentHashIsStable_AndChangesWithAnyFile()
    {
        var dir = _folder.AddHand("oracle", "[hand]\n");
        _folder.Write("hands/oracle/SYSTEM.md", "prompt");
        _folder.Write("hands/oracle/skills/a.md", "skill");

        var first = HandLoader.LoadHand(dir, Context()).ContentHash;
        Assert.Equal(first, HandLoader.LoadHand(dir, Context()).ContentHash);

        _folder.Write("hands/oracle/skills/a.md", "skill!");
        var afterSkill = HandLoader.LoadHand(dir, Context()).ContentHash;
        Assert.NotEqual(first, afterSkill);

        _folder.Write("hands/oracle/SYSTEM.md", "prompt!");
        var afterPrompt = HandLoader.LoadHand(dir, Context()).ContentHash;
        Assert.NotEqual(afterSkill, afterPrompt);

        _folder.Write("hands/oracle/HAND.toml", "[hand]\n# comment\n");
        Assert.NotEqual(afterPrompt, HandLoader.LoadHand(dir, Context()).ContentHash);
    }

    [Fact]
    public void LoadHand_ContentHashDiffers_WhenBytesMoveBetweenFiles()
    {
        var one = _folder.AddHand("one", "[hand]\n");
        _folder.Write("hands/one/SYSTEM.md", "ab");
        var two = _folder.AddHand("two", "[hand]\na");
        _folder.Write("hands/two/SYSTEM.md", "b");

        Assert.NotEqual(HandLoader.LoadHand(one, Context()).ContentHash, HandLoader.LoadHand(two, Context()).ContentHash);
    }

    [Fact]
    public void LoadHand_WarnsAgentHandWithoutSystemPrompt()
    {
        var dir = _folder.AddHand("oracle", "[hand]\n");

        var hand = HandLoader.LoadHand(dir, Context());

        Assert.True(hand.IsValid);
        var warning = Assert.Single(hand.Diagnostics);
        Assert.Equal("hands/oracle/SYSTEM.md", warning.File);
        Assert.Contains("no SYSTEM.md", warning.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("command = \"./run.sh\"", true, null)]
    [InlineData("command = \"./run.sh --flag 'x y'\"", true, null)]
    [InlineData("command = [\"./run.sh\", \"--flag\"]", true, null)]
    [InlineData("command = \"./missing.sh\"", true, "'./missing.sh (in hands/oracle)' does not exist")]
    [InlineData("command = [\"bin/missing\"]", true, "'bin/missing (in hands/oracle)' does not exist")]
    [InlineData("command = \"./run.sh\"", false, "is not executable (chmod +x ./run.sh)")]
    [InlineData("command = \"./tools\"", true, "is a folder, not a program")]
    [InlineData("command = \"sh -c 'echo hi'\"", true, null)]
    [InlineData("command = \"handsbot-surely-missing-program --x\"", true, "program 'handsbot-surely-missing-program' is not on PATH")]
    [InlineData("command = \"cd sub && ./x\"", true, null)]
    [InlineData("command = \"FOO=1 ./anything\"", true, null)]
    public void LoadHand_ChecksRunCommandProgram(string commandLine, bool executable, string? problem)
    {
        var dir = _folder.AddHand("oracle", $"[hand]\n[run]\n{commandLine}\n");
        _folder.Write("hands/oracle/run.sh", "#!/bin/sh\necho ok\n", executable);
        Directory.CreateDirectory(Path.Combine(dir, "tools"));

        var hand = HandLoader.LoadHand(dir, Context());

        if (problem is null)
        {
            Assert.True(hand.IsValid, string.Join('\n', hand.Diagnostics));
            return;
        }
        var error = Assert.Single(hand.Errors);
        Assert.Equal("hands/oracle/HAND.toml", error.File);
        Assert.Equal(3, error.Line);
        Assert.Equal(11, error.Column);
        Assert.Equal("run.command", error.Key);
        Assert.Contains(problem, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void LoadHand_ChecksGateCommand()
    {
        var dir = _folder.AddHand("oracle", "[hand]\n[run]\ncommand = \"sh -c true\"\n[approval_gates]\nrestart = { command = \"./restart.sh\" }\n");

        var error = Assert.Single(HandLoader.LoadHand(dir, Context()).Errors);

        Assert.Equal("approval_gates.restart.command", error.Key);
        Assert.Equal(5, error.Line);
        Assert.Contains("'./restart.sh (in hands/oracle)' does not exist", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void LoadHand_FindsTools_InHandFolderSharedFolderAndPath()
    {
        var shared = Path.Combine(_folder.Root, "shared-tools");
        _folder.Write("shared-tools/fee_estimate", "#!/bin/sh\n", executable: true);
        _folder.Write("hands/oracle/tools/mempool_fetch", "#!/bin/sh\n", executable: true);
        var dir = _folder.AddHand("oracle", "[hand]\n[run]\ncommand = \"sh -c true\"\n[tools]\nrequired = [\"mempool_fetch\", \"fee_estimate\", \"sh\"]\n");

        var hand = HandLoader.LoadHand(dir, Context(shared));

        Assert.True(hand.IsValid, string.Join('\n', hand.Diagnostics));
        Assert.Empty(hand.Diagnostics);
        Assert.Equal(["mempool_fetch", "fee_estimate", "sh"], hand.Manifest!.RequiredTools);
    }

    [Fact]
    public void LoadHand_ReportsMissingRequiredToolAsError_AndOptionalAsWarning()
    {
        var dir = _folder.AddHand("oracle", "[hand]\n[run]\ncommand = \"sh -c true\"\n[tools]\nrequired = [\"handsbot_missing_a\"]\noptional = [\"handsbot_missing_b\"]\n");

        var hand = HandLoader.LoadHand(dir, Context());

        Assert.False(hand.IsValid);
        var error = Assert.Single(hand.Errors);
        Assert.Equal("tools.required", error.Key);
        Assert.Equal(5, error.Line);
        Assert.Contains("tool 'handsbot_missing_a' not found in hands/oracle/tools or PATH", error.Message, StringComparison.Ordinal);
        var warning = Assert.Single(hand.Diagnostics, d => !d.IsError);
        Assert.Equal("tools.optional", warning.Key);
        Assert.Equal(6, warning.Line);
        Assert.Contains("handsbot_missing_b", warning.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void LoadHand_ReportsToolWithoutExecuteBit_AsMissing()
    {
        _folder.Write("hands/oracle/tools/fetch", "data", executable: false);
        var dir = _folder.AddHand("oracle", "[hand]\n[run]\ncommand = \"sh -c true\"\n[tools]\nrequired = [\"fetch\"]\n");

        var error = Assert.Single(HandLoader.LoadHand(dir, Context()).Errors);

        Assert.Equal("tools.required", error.Key);
    }

    public static TheoryData<string, string> BrokenManifests => new()
    {
        { "garbage", "\0\u0001\u0002binary\uFFFD" },
        { "empty", "" },
        { "syntax", "[hand\nname = 1" },
        { "no hand", "[output]\nformat = \"json\"\n" },
    };

    [Theory]
    [MemberData(nameof(BrokenManifests))]
    public void LoadHand_FallsBackToFolderName_WhenManifestIsBroken(string folder, string toml)
    {
        var dir = _folder.AddHand(folder, toml);

        var hand = HandLoader.LoadHand(dir, Context());

        Assert.False(hand.IsValid);
        Assert.Equal(folder, hand.Name);
        Assert.NotEmpty(hand.Errors);
        Assert.All(hand.Errors, e => Assert.Equal($"hands/{folder}/HAND.toml", e.File));
    }

    [Fact]
    public void LoadHand_ReportsInvalidUtf8()
    {
        var dir = _folder.AddHand("latin", null);
        File.WriteAllBytes(Path.Combine(dir, "HAND.toml"), [(byte)'[', (byte)'h', 0xFF, 0xFE, (byte)']']);

        var error = Assert.Single(HandLoader.LoadHand(dir, Context()).Errors);

        Assert.Equal("hands/latin/HAND.toml: HAND.toml is not UTF-8 text", error.ToString());
    }

    [Fact]
    public void LoadHand_ReportsManifestThatIsAFolder()
    {
        var dir = _folder.AddHand("odd", null);
        Directory.CreateDirectory(Path.Combine(dir, "HAND.toml"));

        var hand = HandLoader.LoadHand(dir, Context());

        Assert.Equal("odd", hand.Name);
        Assert.Contains("HAND.toml is a folder", Assert.Single(hand.Errors).Message, StringComparison.Ordinal);
    }

    [Fact]
    public void LoadHand_ReportsMissingManifest()
    {
        var dir = _folder.AddHand("empty", null);

        var error = Assert.Single(HandLoader.LoadHand(dir, Context()).Errors);

        Assert.Equal("HAND.toml not found", error.Message);
    }

    [Fact]
    public void LoadHand_AcceptsByteOrderMark()
    {
        var dir = _folder.AddHand("bom", null);
        File.WriteAllText(Path.Combine(dir, "HAND.toml"), "[hand]\nname = \"bom\"\n", new System.Text.UTF8Encoding(encoderShouldEmitUTF8Identifier: true));

        Assert.True(HandLoader.LoadHand(dir, Context()).Manifest is not null);
    }

    [Fact]
    public void LoadAll_LoadsFoldersWithManifest_InOrdinalOrder()
    {
        _folder.AddHand("beta", "[hand]\n");
        _folder.AddHand("Alpha", "[hand]\nname = \"alpha\"\n");
        _folder.AddHand("alpha2", "[hand]\n");
        _folder.AddHand("no-manifest", null);
        _folder.AddHand(".hidden", "[hand]\n");
        File.WriteAllText(Path.Combine(_folder.Hands, "README.md"), "not a hand");

        var hands = HandLoader.LoadAll(_folder.Hands, Context());

        Assert.Equal(["alpha", "alpha2", "beta"], hands.Select(h => h.Name));
    }

    [Fact]
    public void LoadAll_ReportsTwoHandsWithOneName_OnBoth()
    {
        _folder.AddHand("a", "[hand]\nname = \"oracle\"\n");
        _folder.AddHand("b", "[hand]\ndescription = \"x\"\nname = \"oracle\"\n");
        _folder.AddHand("oracle", "[hand]\n");

        var hands = HandLoader.LoadAll(_folder.Hands, Context());

        Assert.Equal(3, hands.Count);
        Assert.All(hands, h => Assert.False(h.IsValid));
        var first = Assert.Single(hands[0].Errors);
        Assert.Equal("hands/a/HAND.toml", first.File);
        Assert.Equal(2, first.Line);
        Assert.Equal(8, first.Column);
        Assert.Equal("name", first.Key);
        Assert.Equal("hand name 'oracle' is also used by hands/b/HAND.toml, hands/oracle/HAND.toml; hand names must be unique", first.Message);
        Assert.Equal(3, Assert.Single(hands[1].Errors).Line);
        Assert.Contains("hands/a/HAND.toml, hands/b/HAND.toml", Assert.Single(hands[2].Errors).Message, StringComparison.Ordinal);
    }

    [Fact]
    public void LoadAll_KeepsLoadingOtherHands_WhenSomeAreBroken()
    {
        _folder.AddHand("a-good", "[hand]\n[run]\ncommand = \"sh -c true\"\n");
        _folder.AddHand("b-garbage", "\0\0\0");
        var dirHand = _folder.AddHand("c-folder", null);
        Directory.CreateDirectory(Path.Combine(dirHand, "HAND.toml"));
        _folder.AddHand("d-good", "[hand]\n[run]\ncommand = \"sh -c true\"\n");

        var hands = HandLoader.LoadAll(_folder.Hands, Context());

        Assert.Equal(["a-good", "b-garbage", "c-folder", "d-good"], hands.Select(h => h.Name));
        Assert.Equal([true, false, false, true], hands.Select(h => h.IsValid));
    }

    [Fact]
    public void LoadAll_ReturnsEmpty_WhenFolderIsMissing()
    {
        Assert.Empty(HandLoader.LoadAll(Path.Combine(_folder.Root, "nope"), Context()));
    }
}
