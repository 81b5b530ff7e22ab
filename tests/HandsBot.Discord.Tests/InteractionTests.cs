using System.Text.Json.Nodes;
using HandsBot.Core.Chat;
using HandsBot.Discord.Interactions;
using HandsBot.Discord.Tests.Fakes;
using HandsBot.Core.Access;

namespace HandsBot.Discord.Tests;

public sealed class InteractionTests
{
    private static Task<IReadOnlyList<RecordedRequest>> Callbacks(DiscordHarness h, int count = 1)
        => h.Fake.Requests.WaitAsync(r => r.Path.EndsWith("/callback", StringComparison.Ordinal), count);

    public static TheoryData<string, string?, string?, string[]> EveryCommand => new()
    {
        { "hands", null, null, [] },
        { "hands", null, "2", ["2"] },
        { "run", "briefing", null, ["briefing"] },
        { "pause", "briefing", null, ["briefing"] },
        { "resume", "briefing", null, ["briefing"] },
        { "status", "oracle", null, ["oracle"] },
        { "output", null, "3f9a", ["3f9a"] },
        { "history", "oracle", "5", ["oracle", "5"] },
        { "approvals", null, null, [] },
        { "approve", null, "ab12 looks good", ["ab12", "looks", "good"] },
        { "reject", null, "ab12", ["ab12"] },
        { "help", null, null, [] },
    };

    [Theory]
    [MemberData(nameof(EveryCommand))]
    public async Task SlashCommand_BecomesChatCommandAndIsAnsweredAtOnce(string name, string? hand, string? args, string[] expectedArgs)
    {
        await using var h = await DiscordHarness.StartAsync();
        await h.StartGatewayAsync();

        await h.Fake.DispatchInteractionAsync(DiscordHarness.SlashCommand(name, hand, args, inGuild: true, userId: "42", "role-a", "role-b"));
        var callback = Assert.Single(await Callbacks(h));

        var command = Assert.Single(h.Commands.CommandCalls.Items);
        Assert.Equal(name, command.Name);
        Assert.Equal(expectedArgs, command.Args);
        Assert.Equal(new ChatUser("discord", "42", "User 42", ["role-a", "role-b"]).Identity, command.User.Identity);
        Assert.Equal(["role-a", "role-b"], command.User.RoleIds);
        Assert.Equal(new ChatPlace("discord", "777", null, IsPrivate: false), command.Place);
        Assert.Equal(4, callback.Json!["type"]!.GetValue<int>());
        Assert.StartsWith($"**{name}**", callback.Json["data"]!["content"]!.GetValue<string>(), StringComparison.Ordinal);
        Assert.Equal(204, callback.Status);
        Assert.Empty(h.Fake.Violations.Items);
    }

    [Fact]
    public async Task ManyInteractionsAtOnce_AreAllAnsweredWithoutWaitingOnEachOther()
    {
        await using var h = await DiscordHarness.StartAsync();
        var release = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        h.Commands.OnCommand = async c =>
        {
            // The first command is stuck; the others must still be answered.
            if (c.Args.Count > 0 && c.Args[0] == "stuck") await release.Task;
            return new ChatReply { Markdown = "ok" };
        };
        await h.StartGatewayAsync();

        await h.Fake.DispatchInteractionAsync(DiscordHarness.SlashCommand("run", "stuck"));
        for (var i = 0; i < 20; i++) await h.Fake.DispatchInteractionAsync(DiscordHarness.SlashCommand("status", $"hand-{i}"));
        await h.Fake.Requests.WaitAsync(r => r.Path.EndsWith("/callback", StringComparison.Ordinal) && r.Status == 204, 20);
        release.SetResult();
        await h.Fake.Requests.WaitAsync(r => r.Path.EndsWith("/callback", StringComparison.Ordinal) && r.Status == 204, 21);

        Assert.Equal(21, h.Commands.CommandCalls.Items.Count);
        Assert.Empty(h.Fake.Violations.Items);
    }

    [Fact]
    public async Task SlashCommandInDm_UsesUserAndIsPrivatePlace()
    {
        await using var h = await DiscordHarness.StartAsync();
        await h.StartGatewayAsync();

        await h.Fake.DispatchInteractionAsync(DiscordHarness.SlashCommand("hands", inGuild: false, userId: "7"));
        await Callbacks(h);

        var command = Assert.Single(h.Commands.CommandCalls.Items);
        Assert.Equal("discord:7", command.User.Identity);
        Assert.True(command.Place.IsPrivate);
        Assert.Empty(command.User.RoleIds!);
    }

    [Fact]
    public async Task Autocomplete_AnswersMatchingHandNames()
    {
        await using var h = await DiscordHarness.StartAsync();
        h.Commands.HandNames = Enumerable.Range(0, 40).Select(i => $"b-hand-{i:00}").Append("other").ToList();
        await h.StartGatewayAsync();

        await h.Fake.DispatchInteractionAsync(DiscordHarness.Autocomplete("run", "b-"));
        var callback = Assert.Single(await Callbacks(h));

        Assert.Equal(8, callback.Json!["type"]!.GetValue<int>());
        var choices = callback.Json["data"]!["choices"]!.AsArray();
        Assert.Equal(25, choices.Count);
        Assert.All(choices, c => Assert.StartsWith("b-hand-", c!["value"]!.GetValue<string>(), StringComparison.Ordinal));
        Assert.Equal(["b-"], h.Commands.Completions);
        Assert.Empty(h.Commands.CommandCalls.Items);
    }

    [Fact]
    public async Task RefusalAndPrivateReplies_AreEphemeral()
    {
        await using var h = await DiscordHarness.StartAsync();
        h.Commands.OnCommand = c => Task.FromResult(c.Name switch
        {
            "run" => new ChatReply { Markdown = "You may not run hands.", IsRefusal = true },
            "help" => new ChatReply { Markdown = "Commands: ..." },
            _ => new ChatReply { Markdown = "3 approvals waiting", Private = true },
        });
        await h.StartGatewayAsync();

        await h.Fake.DispatchInteractionAsync(DiscordHarness.SlashCommand("run", "briefing"));
        await h.Fake.DispatchInteractionAsync(DiscordHarness.SlashCommand("help"));
        await h.Fake.DispatchInteractionAsync(DiscordHarness.SlashCommand("approvals"));
        var callbacks = await Callbacks(h, 3);

        Assert.All(callbacks, c => Assert.Equal(64, c.Json!["data"]!["flags"]!.GetValue<int>()));
    }

    [Fact]
    public async Task SlowCommand_IsDeferredThenCompletedByEditingOriginal()
    {
        await using var h = await DiscordHarness.StartAsync(interactions: new InteractionSettings { AckDeadline = TimeSpan.FromMilliseconds(50) });
        h.Commands.OnCommand = async c =>
        {
            // Finish only once the deferral has reached Discord.
            await h.Fake.Requests.WaitAsync(r => r.Path.EndsWith("/callback", StringComparison.Ordinal));
            return new ChatReply { Markdown = "Run started: briefing", Buttons = [[new("Pause", "pause:briefing")]] };
        };
        await h.StartGatewayAsync();

        var interaction = await h.Fake.DispatchInteractionAsync(DiscordHarness.SlashCommand("run", "briefing"));
        var edit = Assert.Single(await h.Fake.Requests.WaitAsync(r => r.Method == "PATCH"));

        var callback = Assert.Single(h.Fake.Requests.Where(r => r.Path.EndsWith("/callback", StringComparison.Ordinal)));
        Assert.Equal(5, callback.Json!["type"]!.GetValue<int>());
        Assert.Equal($"webhooks/{FakeDiscordServer.ApplicationId}/{interaction["token"]}/messages/@original", edit.Path);
        Assert.Equal("Run started: briefing", edit.Json!["content"]!.GetValue<string>());
        Assert.Equal("pause:briefing", edit.Json["components"]![0]!["components"]![0]!["custom_id"]!.GetValue<string>());
        Assert.Empty(h.Fake.Violations.Items);
    }

    [Fact]
    public async Task SlowPrivateCommand_IsDeferredThenSentAsEphemeralFollowUp()
    {
        await using var h = await DiscordHarness.StartAsync(interactions: new InteractionSettings { AckDeadline = TimeSpan.FromMilliseconds(50) });
        h.Commands.OnCommand = async c =>
        {
            await h.Fake.Requests.WaitAsync(r => r.Path.EndsWith("/callback", StringComparison.Ordinal));
            return new ChatReply { Markdown = "Only you can see this", Private = true };
        };
        await h.StartGatewayAsync();

        await h.Fake.DispatchInteractionAsync(DiscordHarness.SlashCommand("approvals"));
        await h.Fake.Requests.WaitAsync(r => r.Method == "DELETE");

        var followUp = Assert.Single(h.Fake.Requests.Where(r => r.Method == "POST" && r.Path.StartsWith("webhooks/", StringComparison.Ordinal)));
        Assert.Equal(64, followUp.Json!["flags"]!.GetValue<int>());
        Assert.Equal("Only you can see this", followUp.Json["content"]!.GetValue<string>());
        Assert.Empty(h.Fake.Violations.Items);
    }

    [Fact]
    public async Task LongReply_FirstPartInCallbackRestAsFollowUps()
    {
        await using var h = await DiscordHarness.StartAsync();
        h.Commands.OnCommand = _ => Task.FromResult(new ChatReply { Markdown = string.Join('\n', Enumerable.Range(0, 400).Select(i => $"- hand-{i:000} · daily at 07:00")) });
        await h.StartGatewayAsync();

        await h.Fake.DispatchInteractionAsync(DiscordHarness.SlashCommand("hands"));
        var callback = Assert.Single(await Callbacks(h));
        var followUps = await h.Fake.Requests.WaitAsync(r => r.Method == "POST" && r.Path.StartsWith("webhooks/", StringComparison.Ordinal), 4);

        Assert.Equal(4, callback.Json!["type"]!.GetValue<int>());
        Assert.True(followUps.Count >= 4);
        Assert.Empty(h.Fake.Violations.Items);
    }

    [Fact]
    public async Task HugeReply_IsCutToTenMessagesWithANote()
    {
        await using var h = await DiscordHarness.StartAsync();
        h.Commands.OnCommand = _ => Task.FromResult(new ChatReply { Markdown = string.Join('\n', Enumerable.Range(0, 3000).Select(i => $"line {i:0000} of a very long output")) });
        await h.StartGatewayAsync();

        await h.Fake.DispatchInteractionAsync(DiscordHarness.SlashCommand("output", args: "3f9a"));
        await Callbacks(h);
        var followUps = await h.Fake.Requests.WaitAsync(r => r.Method == "POST" && r.Path.StartsWith("webhooks/", StringComparison.Ordinal), DiscordInteractionHandler.MaxMessagesPerReply - 1);

        Assert.Equal(DiscordInteractionHandler.MaxMessagesPerReply - 1, followUps.Count);
        Assert.Contains("more messages not shown", followUps[^1].Json!["content"]!.GetValue<string>(), StringComparison.Ordinal);
        Assert.Empty(h.Fake.Violations.Items);
    }

    [Fact]
    public async Task ApproveButton_UnauthorisedTapRefusedThenAuthorisedTapUpdatesMessage()
    {
        await using var h = await DiscordHarness.StartAsync();
        h.Commands.OnButton = tap => Task.FromResult(tap.User.UserId == "13"
            ? new ButtonReply { Toast = "You may not decide this approval.", IsRefusal = true }
            : new ButtonReply { Toast = "Approved", UpdatedMessage = new ChatReply { Markdown = "✅ Approved by User 42" } });
        await h.StartGatewayAsync();

        await h.Fake.DispatchInteractionAsync(DiscordHarness.ButtonTap("approve:ab12", userId: "13"));
        var refusal = Assert.Single(await Callbacks(h));
        await h.Fake.DispatchInteractionAsync(DiscordHarness.ButtonTap("approve:ab12", "555", "42", "approvers"));
        var update = (await Callbacks(h, 2))[1];

        Assert.Equal(4, refusal.Json!["type"]!.GetValue<int>());
        Assert.Equal(64, refusal.Json["data"]!["flags"]!.GetValue<int>());
        Assert.Equal("You may not decide this approval.", refusal.Json["data"]!["content"]!.GetValue<string>());
        Assert.Equal(7, update.Json!["type"]!.GetValue<int>());
        Assert.Equal("✅ Approved by User 42", update.Json["data"]!["content"]!.GetValue<string>());
        Assert.Empty(update.Json["data"]!["components"]!.AsArray());
        Assert.Null(update.Json["data"]!["flags"]);
        var taps = h.Commands.Taps.Items;
        Assert.Equal(["discord:13", "discord:42"], taps.Select(t => t.User.Identity));
        Assert.All(taps, t => Assert.Equal("555", t.MessageId));
        Assert.Equal(["approvers"], taps[1].User.RoleIds);
        Assert.Empty(h.Fake.Violations.Items);
    }

    [Fact]
    public async Task SlowButton_IsDeferredUpdateThenOriginalEdited()
    {
        await using var h = await DiscordHarness.StartAsync(interactions: new InteractionSettings { AckDeadline = TimeSpan.FromMilliseconds(50) });
        h.Commands.OnButton = async _ =>
        {
            await h.Fake.Requests.WaitAsync(r => r.Path.EndsWith("/callback", StringComparison.Ordinal));
            return new ButtonReply { Toast = "Rejected", UpdatedMessage = new ChatReply { Markdown = "❌ Rejected" } };
        };
        await h.StartGatewayAsync();

        await h.Fake.DispatchInteractionAsync(DiscordHarness.ButtonTap("reject:ab12"));
        var edit = Assert.Single(await h.Fake.Requests.WaitAsync(r => r.Method == "PATCH"));

        Assert.Equal(6, h.Fake.Requests.Items.First(r => r.Path.EndsWith("/callback", StringComparison.Ordinal)).Json!["type"]!.GetValue<int>());
        Assert.Equal("❌ Rejected", edit.Json!["content"]!.GetValue<string>());
        Assert.Empty(edit.Json["components"]!.AsArray());
    }

    [Fact]
    public async Task ReplayedInteraction_IsNotHandledTwice()
    {
        await using var h = await DiscordHarness.StartAsync();
        await h.StartGatewayAsync();
        var interaction = await h.Fake.DispatchInteractionAsync(DiscordHarness.SlashCommand("run", "briefing"));
        await Callbacks(h);

        // The same interaction dispatched again (as a resume replay may): /run must not run twice.
        await h.Fake.DispatchAsync("INTERACTION_CREATE", interaction.DeepClone());
        await h.Fake.DispatchInteractionAsync(DiscordHarness.SlashCommand("help"));
        await h.Fake.Requests.WaitAsync(r => r.Path.EndsWith("/callback", StringComparison.Ordinal) && r.Status == 204, 2);

        Assert.Equal(["run", "help"], h.Commands.CommandCalls.Items.Select(c => c.Name));
        Assert.Equal(2, h.Fake.Requests.Where(r => r.Path.EndsWith("/callback", StringComparison.Ordinal)).Count);
    }

    [Fact]
    public async Task AlreadyAcknowledged_40060_IsSkippedWithoutFollowUps()
    {
        await using var h = await DiscordHarness.StartAsync();
        await h.StartGatewayAsync();
        var json = await h.Fake.DispatchInteractionAsync(DiscordHarness.SlashCommand("hands"));
        await Callbacks(h);
        // A second handler (as after a restart) sees the same interaction: Discord says 40060.
        var restarted = new DiscordInteractionHandler(h.Commands, h.Rest, TimeProvider.System,
            Microsoft.Extensions.Logging.Abstractions.NullLogger<DiscordInteractionHandler>.Instance);
        var interaction = System.Text.Json.JsonSerializer.Deserialize(json.ToJsonString(), Rest.DiscordJsonContext.Default.Interaction)!;

        await restarted.HandleGatewayAsync(interaction, CancellationToken.None);

        var second = h.Fake.Requests.Where(r => r.Path.EndsWith("/callback", StringComparison.Ordinal))[1];
        Assert.Equal(400, second.Status);
        Assert.Empty(h.Fake.Requests.Where(r => r.Path.StartsWith("webhooks/", StringComparison.Ordinal)));
    }

    [Fact]
    public async Task FailingService_AnswersWithEphemeralError()
    {
        await using var h = await DiscordHarness.StartAsync();
        h.Commands.OnCommand = _ => throw new InvalidOperationException("database is locked");
        await h.StartGatewayAsync();

        await h.Fake.DispatchInteractionAsync(DiscordHarness.SlashCommand("hands"));
        var callback = Assert.Single(await Callbacks(h));

        Assert.Equal(64, callback.Json!["data"]!["flags"]!.GetValue<int>());
        Assert.DoesNotContain("database", callback.Json["data"]!["content"]!.GetValue<string>(), StringComparison.Ordinal);
    }
}
