namespace HandsBot.Core.Model;

/// <summary>What starts a hand besides <c>/run</c> (which works for every hand).</summary>
public enum TriggerKind
{
    /// <summary>Its schedule.</summary>
    Schedule,
    /// <summary>Only <c>/run</c> (and `handsbot run`): a hand without a schedule.</summary>
    Manual,
    /// <summary>A signed HTTP call to <c>POST /hooks/&lt;hand&gt;</c> (and its schedule, when it has one).</summary>
    Webhook,
    /// <summary>The end of another hand's run (and its schedule, when it has one).</summary>
    Event,
}

/// <summary>How a webhook call proves it comes from the holder of the secret.</summary>
public enum WebhookScheme
{
    /// <summary><c>X-Hub-Signature-256: sha256=&lt;hex HMAC-SHA256 of the body&gt;</c>; <c>X-GitHub-Delivery</c> is the delivery id.</summary>
    Github,
    /// <summary><c>X-Hook-Timestamp</c> and <c>X-Hook-Signature: sha256=&lt;hex HMAC-SHA256 of "timestamp.body"&gt;</c>, within a tolerance.</summary>
    Hmac,
    /// <summary><c>Authorization: Bearer &lt;secret&gt;</c>.</summary>
    Bearer,
}

/// <summary>[webhook]: the secret's environment variables, the scheme, limits, and which request fields become parameters.</summary>
public sealed record WebhookSpec
{
    public const long DefaultMaxBody = 1024 * 1024;
    public const int DefaultMaxParam = 4096;
    public const int DefaultRatePerMinute = 60;
    public const int DefaultBurst = 20;

    /// <summary>Environment variables holding the secret; two during a rotation (either secret is accepted).</summary>
    public IReadOnlyList<string> SecretEnv { get; init; } = [];
    public WebhookScheme Scheme { get; init; } = WebhookScheme.Hmac;
    /// <summary>Bodies larger than this are refused (413) without being read further.</summary>
    public long MaxBody { get; init; } = DefaultMaxBody;
    /// <summary>hmac: how far X-Hook-Timestamp may be from now.</summary>
    public TimeSpan Tolerance { get; init; } = TimeSpan.FromMinutes(5);
    /// <summary>[webhook.params]: HAND_PARAM_&lt;NAME&gt; from a JSON pointer into the body, in file order.</summary>
    public IReadOnlyList<WebhookParam> Params { get; init; } = [];
    /// <summary>A parameter value longer than this many bytes is left out.</summary>
    public int MaxParam { get; init; } = DefaultMaxParam;
    /// <summary>Calls a minute this hook accepts on average (a token bucket refilled at this rate).</summary>
    public int RatePerMinute { get; init; } = DefaultRatePerMinute;
    /// <summary>Calls the hook takes at once before the rate applies (the bucket's size).</summary>
    public int Burst { get; init; } = DefaultBurst;
}

/// <summary>One [webhook.params] entry: <c>ref = "/ref"</c> → HAND_PARAM_REF.</summary>
public sealed record WebhookParam(string Name, string Pointer);

/// <summary>Which endings of a parent's run start an event hand.</summary>
public enum EventOn { Success, Failure, Timeout, Any }

/// <summary>[trigger]: the hands whose runs start this one, on which outcomes, and an optional filter on their output.</summary>
public sealed record EventTriggerSpec
{
    public const int DefaultMaxDepth = 5;

    /// <summary>Parent hands, by name.</summary>
    public IReadOnlyList<string> After { get; init; } = [];
    public IReadOnlyList<EventOn> On { get; init; } = [EventOn.Success];
    /// <summary>A regular expression the parent's output must match.</summary>
    public string? OutputMatch { get; init; }
    /// <summary>A JSON pointer into the parent's (json) output whose value must equal <see cref="OutputEqualsJson"/>.</summary>
    public string? OutputPointer { get; init; }
    /// <summary>The value <see cref="OutputPointer"/> must point at, as JSON text.</summary>
    public string? OutputEqualsJson { get; init; }
    /// <summary>How many event runs may follow each other before a chain is stopped.</summary>
    public int MaxDepth { get; init; } = DefaultMaxDepth;

    /// <summary>True when a parent run that ended with <paramref name="outcome"/> starts this hand.</summary>
    public bool Matches(ExecutionOutcome outcome) => outcome switch
    {
        ExecutionOutcome.Success => On.Contains(EventOn.Success) || On.Contains(EventOn.Any),
        ExecutionOutcome.Failure => On.Contains(EventOn.Failure) || On.Contains(EventOn.Any),
        ExecutionOutcome.Timeout => On.Contains(EventOn.Timeout) || On.Contains(EventOn.Any),
        _ => false,
    };
}
