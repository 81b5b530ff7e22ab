namespace HandsBot.Core.Model;

/// <summary>A hand's parsed HAND.toml: what it is, when it runs, how it runs and where its output goes.</summary>
public sealed record HandManifest
{
    public required string Name { get; init; }
    public string Description { get; init; } = "";
    /// <summary>Null for a manual-only hand.</summary>
    public HandSchedule? Schedule { get; init; }
    public bool Enabled { get; init; } = true;
    public string? Version { get; init; }
    public string? Author { get; init; }
    public OverlapPolicy Overlap { get; init; } = OverlapPolicy.Skip;
    /// <summary>What starts the hand: its schedule, only /run, a webhook or another hand's run.</summary>
    public TriggerKind Trigger { get; init; } = TriggerKind.Schedule;
    /// <summary>[webhook], for webhook hands.</summary>
    public WebhookSpec? Webhook { get; init; }
    /// <summary>[trigger], for event hands.</summary>
    public EventTriggerSpec? Event { get; init; }
    /// <summary>Set for command hands.</summary>
    public RunSpec? Run { get; init; }
    /// <summary>Set for agent hands (a hand with neither [run] nor [agent] is an agent hand with defaults).</summary>
    public AgentSpec? Agent { get; init; }
    public IReadOnlyList<string> RequiredTools { get; init; } = [];
    public IReadOnlyList<string> OptionalTools { get; init; } = [];
    /// <summary>Approval gates in file order.</summary>
    public IReadOnlyList<ApprovalGate> Gates { get; init; } = [];
    public OutputSpec Output { get; init; } = new();
    /// <summary>The [parameters] table as a JSON object text.</summary>
    public string ParametersJson { get; init; } = "{}";

    public bool IsAgent => Run is null;

    /// <summary>The gate a request names, by key first, then by action.</summary>
    public ApprovalGate? FindGate(string keyOrAction) =>
        Gates.FirstOrDefault(g => string.Equals(g.Key, keyOrAction, StringComparison.Ordinal))
        ?? Gates.FirstOrDefault(g => string.Equals(g.Action, keyOrAction, StringComparison.Ordinal));

    /// <summary>The first gate whose action is <c>broadcast</c>, which holds the run's output until approved.</summary>
    public ApprovalGate? BroadcastGate => Gates.FirstOrDefault(g => g.IsBroadcast);
}

public enum OverlapPolicy { Skip, Queue, Replace }

public enum MisfirePolicy { RunOnce, Skip }

public enum ScheduleKind { Cron, Interval, At }

public enum OutputFormat { Markdown, Json, Html, Text }

public sealed record HandSchedule
{
    public required ScheduleKind Kind { get; init; }
    /// <summary>The cron expression (5 or 6 fields) when <see cref="Kind"/> is Cron.</summary>
    public string? Cron { get; init; }
    public TimeSpan? Interval { get; init; }
    /// <summary>Daily local time when <see cref="Kind"/> is At (one or more).</summary>
    public IReadOnlyList<TimeOnly> At { get; init; } = [];
    /// <summary>IANA zone id; "UTC" when not given.</summary>
    public string TimeZone { get; init; } = "UTC";
    public MisfirePolicy Misfire { get; init; } = MisfirePolicy.RunOnce;
    public TimeSpan MisfireGrace { get; init; } = TimeSpan.FromHours(1);
}

/// <summary>How a command hand runs: a shell command line or an argv array, in the hand's folder.</summary>
public sealed record RunSpec
{
    /// <summary>Run by /bin/sh -c when set.</summary>
    public string? CommandLine { get; init; }
    /// <summary>Run directly when set.</summary>
    public IReadOnlyList<string>? Argv { get; init; }
    public TimeSpan Timeout { get; init; } = TimeSpan.FromMinutes(10);

    public string Display => CommandLine ?? string.Join(' ', Argv ?? []);
}

public sealed record AgentSpec
{
    public string? Model { get; init; }
    public string? Endpoint { get; init; }
    public int MaxIterations { get; init; } = 8;
    public double Temperature { get; init; } = 0.2;
    public TimeSpan Timeout { get; init; } = TimeSpan.FromMinutes(10);
}

public sealed record ApprovalGate
{
    public required string Key { get; init; }
    /// <summary>Defaults to the key.</summary>
    public required string Action { get; init; }
    public string Description { get; init; } = "";
    public TimeSpan? AutoApproveAfter { get; init; }
    public TimeSpan? ExpiresAfter { get; init; }
    /// <summary>The command run on approval; when null the hand's own command runs again with HAND_APPROVED_GATE.</summary>
    public RunSpec? Command { get; init; }
    /// <summary>Identities (e.g. "telegram:42") who may decide; empty means the configured admins and operators.</summary>
    public IReadOnlyList<string> Approvers { get; init; } = [];

    public bool IsBroadcast => string.Equals(Action, "broadcast", StringComparison.Ordinal);
}

public sealed record OutputSpec
{
    public bool Dashboard { get; init; } = true;
    /// <summary>Route names: a [channels] name, "telegram", "discord" or "console". Empty = platform defaults.</summary>
    public IReadOnlyList<string> Channels { get; init; } = [];
    public OutputFormat Format { get; init; } = OutputFormat.Markdown;
    public string? FileDrop { get; init; }
}
