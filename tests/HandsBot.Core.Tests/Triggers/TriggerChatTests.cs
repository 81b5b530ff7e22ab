using HandsBot.Core.Access;
using HandsBot.Core.Chat;
using HandsBot.Core.Delivery;
using HandsBot.Core.Engine;
using HandsBot.Core.Model;
using HandsBot.Core.Tests.Engine;
using Microsoft.Extensions.Time.Testing;

namespace HandsBot.Core.Tests.Triggers;

/// <summary>/hands, /status and /history show what starts each hand and what started each run.</summary>
public sealed class TriggerChatTests : IDisposable
{
    private static readonly ChatUser Admin = new("console", "local", "console");
    private static readonly ChatPlace Console = new("console", "local", null, true);
    private readonly TestFolder _folder = new();

    public void Dispose() => _folder.Dispose();

    private static Task<ChatReply> Ask(EngineHarness engine, string text)
    {
        var words = text.Split(' ');
        return engine.Get<IChatCommandService>().HandleCommandAsync(new ChatCommand(Admin, Console, words[0], words[1..]));
    }

    [Fact]
    public async Task HandsStatusAndHistory_ShowTriggers_LastDelivery_AndParentRun()
    {
        _folder.AddHand("deploy", "[hand]\ntrigger = \"webhook\"\n[run]\ncommand = \"echo deployed\"\n[webhook]\nsecret_env = \"HOOK_X\"\n");
        _folder.AddHand("report", "[hand]\ntrigger = \"event\"\n[run]\ncommand = \"echo reported\"\n[trigger]\nafter = \"deploy\"\n");
        await using var engine = await new EngineHarness(_folder, new FakeTimeProvider(new DateTimeOffset(2026, 6, 1, 10, 0, 0, TimeSpan.Zero))).StartAsync();

        var call = await engine.Engine.TriggerAsync("deploy", new RunRequest(RunTrigger.Webhook, "webhook:127.0.0.1") { DeliveryId = "gh-42", Payload = [1, 2], PayloadType = "application/json" });
        await engine.SettleAsync();

        var hands = (await Ask(engine, "hands")).Markdown;
        Assert.Contains("**deploy** — idle · webhook · last: success", hands, StringComparison.Ordinal);
        Assert.Contains("**report** — idle · after deploy on success", hands, StringComparison.Ordinal);

        var status = (await Ask(engine, "status deploy")).Markdown;
        Assert.Contains("**Trigger:** webhook", status, StringComparison.Ordinal);
        Assert.Contains("**Last delivery:** ", status, StringComparison.Ordinal);
        Assert.Contains("`gh-42`", status, StringComparison.Ordinal);
        Assert.Contains("**Trigger:** after deploy on success", (await Ask(engine, "status report")).Markdown, StringComparison.Ordinal);

        Assert.Contains("· webhook · success", (await Ask(engine, "history deploy")).Markdown, StringComparison.Ordinal);
        Assert.Contains($"· event after deploy run {call.ExecutionId![..8]} · success", (await Ask(engine, "history report")).Markdown, StringComparison.Ordinal);
        // /run still works for every kind of hand.
        Assert.Contains("started", (await Ask(engine, "run report")).Markdown, StringComparison.Ordinal);
        await engine.SettleAsync();
    }
}
