using HandsBot.Core.Chat;
using HandsBot.Core.Configuration;
using HandsBot.Core.Model;
using HandsBot.Core.Tests.Access;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;
using HandsBot.Core.Access;

namespace HandsBot.Core.Tests.Chat;

/// <summary>A ChatCommandService over the fake engine and audit store, with a pinned clock and a few known users.</summary>
internal sealed class ChatHarness
{
    public static readonly DateTimeOffset Start = new(2026, 11, 23, 12, 0, 0, TimeSpan.Zero);

    public static readonly ChatUser Admin = new("telegram", "1", "Ada");
    public static readonly ChatUser Operator = new("telegram", "2", "Otto");
    public static readonly ChatUser Viewer = new("telegram", "3", "Vera");
    public static readonly ChatUser Stranger = new("telegram", "99", "Sam");
    public static readonly ChatUser Console = new("console", "local", "console");

    /// <summary>The configured Telegram group (telegram.default_chat).</summary>
    public static readonly ChatPlace Group = new("telegram", "-100500", null, false);
    public static readonly ChatPlace OtherGroup = new("telegram", "-1", null, false);

    public static readonly HandSchedule Daily7Berlin = new()
    {
        Kind = ScheduleKind.At, At = [new TimeOnly(7, 0)], TimeZone = "Europe/Berlin",
    };

    public ChatHarness(bool nothingConfigured = false, bool replyToInvoker = true)
    {
        Time = new FakeTimeProvider(Start);
        Engine = new FakeHandsEngine(Time);
        Service = new ChatCommandService(
            Engine,
            nothingConfigured ? AccessPolicyTests.Empty() : AccessPolicyTests.Policy(),
            Audit, Time, Logger,
            Options.Create(new OutputOptions { ReplyToInvoker = replyToInvoker }));
    }

    public FakeTimeProvider Time { get; }
    public FakeHandsEngine Engine { get; }
    public FakeAuditStore Audit { get; } = new();
    public ListLogger<ChatCommandService> Logger { get; } = new();
    public ChatCommandService Service { get; }

    /// <summary>Adds the usual hands: oracle (daily 07:00 Berlin), sleeper (paused), off (disabled), broken (invalid).</summary>
    public ChatHarness WithStandardHands()
    {
        Engine.AddHand("oracle", Daily7Berlin, description: "Morning briefing");
        Engine.AddHand("sleeper", new HandSchedule { Kind = ScheduleKind.Interval, Interval = TimeSpan.FromHours(1) }, paused: true);
        Engine.AddHand("off", enabled: false);
        Engine.AddHand("broken", unreadable: true,
            diagnostics: [new Diagnostic(Severity.Error, "hands/broken/HAND.toml", 3, 12, "schedule", "cron expression has 4 fields")]);
        return this;
    }

    public Task<ChatReply> Command(ChatUser user, string text, ChatPlace? place = null)
    {
        var words = text.Split(' ', StringSplitOptions.RemoveEmptyEntries);
        return Service.HandleCommandAsync(new ChatCommand(user, place ?? Group, words[0], words[1..]));
    }

    public Task<ButtonReply> Tap(ChatUser user, string buttonId, ChatPlace? place = null) =>
        Service.HandleButtonAsync(new ButtonTap(user, place ?? Group, buttonId, "m1"));

    public static ChatUser UserFor(string who) => who switch
    {
        "admin" => Admin,
        "operator" => Operator,
        "viewer" => Viewer,
        "stranger" => Stranger,
        "console" => Console,
        _ => throw new ArgumentOutOfRangeException(nameof(who)),
    };
}
