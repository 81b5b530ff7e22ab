using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.RegularExpressions;
using HandsBot.Core.Json;
using HandsBot.Core.Model;

namespace HandsBot.Core.Manifest.Parsing;

/// <summary>What starts a hand: [hand] trigger, [webhook] for webhook hands, [trigger] for event hands.</summary>
internal static partial class TriggerReader
{
    public static readonly string[] WebhookKeys = ["secret_env", "scheme", "max_body", "tolerance", "params", "max_param", "rate_limit", "burst"];
    public static readonly string[] EventKeys = ["after", "on", "output_match", "output_pointer", "output_equals", "max_depth"];
    private static readonly string[] Kinds = ["schedule", "manual", "webhook", "event"];
    private static readonly string[] Schemes = ["github", "hmac", "bearer"];
    private static readonly string[] Outcomes = ["success", "failure", "timeout", "any"];

    /// <summary>A body is stored with its run; past this a hook is better served by a link to the data.</summary>
    public const long MaxBodyLimit = 16 * 1024 * 1024;
    /// <summary>One environment variable; Linux refuses a single one over 128 KiB.</summary>
    public const int MaxParamLimit = 65536;
    public const int MaxDepthLimit = 100;

    [GeneratedRegex("^[A-Za-z_][A-Za-z0-9_]*$", RegexOptions.CultureInvariant)]
    private static partial Regex VariableName();

    [GeneratedRegex("^[A-Za-z0-9_]+$", RegexOptions.CultureInvariant)]
    private static partial Regex ParamName();

    public sealed record Result(TriggerKind Kind, HandSchedule? Schedule, WebhookSpec? Webhook, EventTriggerSpec? Event, SourceLocation AfterAt);

    /// <summary>
    /// Reads the trigger and its table. A schedule is kept for "schedule", "webhook" and "event" (then both
    /// start the hand) and dropped, with a warning, for "manual".
    /// </summary>
    public static Result Read(TableReader root, TableReader hand, HandSchedule? schedule, bool onDisk)
    {
        var word = hand.Choice("trigger", Kinds);
        var kind = word switch
        {
            "manual" => TriggerKind.Manual,
            "webhook" => TriggerKind.Webhook,
            "event" => TriggerKind.Event,
            "schedule" => TriggerKind.Schedule,
            _ => schedule is null && !hand.Has("schedule") ? TriggerKind.Manual : TriggerKind.Schedule,
        };
        if (kind == TriggerKind.Schedule && word is not null && !hand.Has("schedule"))
        {
            hand.Error("trigger", "trigger = \"schedule\" needs a schedule (schedule = \"0 7 * * *\", or a [hand.schedule] table)");
        }
        if (kind == TriggerKind.Manual && hand.Has("schedule"))
        {
            hand.Warning("schedule", "ignored: trigger = \"manual\" runs the hand only when asked (/run)");
            schedule = null;
        }

        var webhookTable = root.Child("webhook");
        var eventTable = root.Child("trigger");
        WebhookSpec? webhook = null;
        EventTriggerSpec? events = null;
        var afterAt = SourceLocation.Unknown;
        if (kind == TriggerKind.Webhook)
        {
            if (webhookTable is null) hand.Error("trigger", "trigger = \"webhook\" needs a [webhook] table with secret_env = \"<variable holding the secret>\"");
            else webhook = ReadWebhook(webhookTable, onDisk);
        }
        else if (webhookTable is not null)
        {
            root.Sink.Warning(webhookTable.Where, "webhook", $"ignored: the hand's trigger is '{Spell(kind)}'; set trigger = \"webhook\" under [hand] to take webhook calls");
        }

        if (kind == TriggerKind.Event)
        {
            if (eventTable is null)
            {
                hand.Error("trigger", "trigger = \"event\" needs a [trigger] table with after = [\"<hand>\"]");
            }
            else
            {
                events = ReadEvent(eventTable);
                afterAt = eventTable.At("after");
            }
        }
        else if (eventTable is not null)
        {
            root.Sink.Warning(eventTable.Where, "trigger", $"ignored: the hand's trigger is '{Spell(kind)}'; set trigger = \"event\" under [hand] to run after other hands");
        }
        return new Result(kind, schedule, webhook, events, afterAt);
    }

    private static WebhookSpec ReadWebhook(TableReader table, bool onDisk)
    {
        if (table.Has("secret"))
        {
            table.Error("secret", "the secret never goes in HAND.toml: put it in an environment variable and name that variable with secret_env = \"HOOK_DEPLOY_SECRET\"");
        }
        table.WarnUnknownKeys([.. WebhookKeys, "secret"]);
        var spec = new WebhookSpec();
        var names = table.StringList("secret_env", allowSingle: true);
        if (names is null && !table.Has("secret_env"))
        {
            table.Sink.Error(table.Where, table.KeyPath("secret_env"), "missing: name the environment variable that holds the secret, e.g. secret_env = \"HOOK_DEPLOY_SECRET\"");
        }
        names ??= [];
        if (names.Count == 0 && table.Has("secret_env")) table.Error("secret_env", "name at least one environment variable");
        if (names.Count > 2) table.Error("secret_env", $"at most two variables (the current secret and the next one, during a rotation), got {names.Count}");
        foreach (var name in names)
        {
            if (!VariableName().IsMatch(name)) table.Error("secret_env", $"'{name}' is not an environment variable name (letters, digits and '_', not starting with a digit)");
        }
        // Only the checks of a hand on disk look at the bot's own environment (`validate` and the registry).
        if (onDisk && names.Count > 0 && names.All(VariableName().IsMatch) && names.All(n => string.IsNullOrEmpty(Environment.GetEnvironmentVariable(n))))
        {
            table.Warning("secret_env", $"{string.Join(" and ", names)} {(names.Count == 1 ? "is" : "are")} not set in HandsBot's environment; every call is refused (503) until {(names.Count == 1 ? "it is" : "one is")}");
        }

        var scheme = table.Choice("scheme", Schemes) switch
        {
            "github" => WebhookScheme.Github,
            "bearer" => WebhookScheme.Bearer,
            _ => WebhookScheme.Hmac,
        };
        var maxBody = Positive(table, "max_body", MaxBodyLimit, "bytes") ?? spec.MaxBody;
        var tolerance = table.Seconds("tolerance", allowZero: false) ?? spec.Tolerance;
        if (table.Has("tolerance") && scheme != WebhookScheme.Hmac)
        {
            table.Warning("tolerance", $"ignored: only the hmac scheme signs a timestamp (this hook uses '{Spell(scheme)}')");
        }
        var maxParam = (int?)Positive(table, "max_param", MaxParamLimit, "bytes") ?? spec.MaxParam;
        var rate = (int?)Positive(table, "rate_limit", 1_000_000, "calls a minute") ?? spec.RatePerMinute;
        var burst = (int?)Positive(table, "burst", 1_000_000, "calls") ?? spec.Burst;
        return spec with
        {
            SecretEnv = names,
            Scheme = scheme,
            MaxBody = maxBody,
            Tolerance = tolerance,
            Params = table.Child("params") is { } p ? ReadParams(p) : [],
            MaxParam = maxParam,
            RatePerMinute = rate,
            Burst = burst,
        };
    }

    private static List<WebhookParam> ReadParams(TableReader table)
    {
        var result = new List<WebhookParam>();
        foreach (var name in table.Table.Keys)
        {
            var pointer = table.String(name);
            if (pointer is null) continue;
            if (!ParamName().IsMatch(name))
            {
                table.Error(name, $"'{name}' cannot name a variable (HAND_PARAM_<NAME>): use letters, digits and '_'");
                continue;
            }
            if (JsonPointer.Problem(pointer) is { } problem)
            {
                table.Error(name, $"'{pointer}' is not a JSON pointer: {problem}");
                continue;
            }
            result.Add(new WebhookParam(name, pointer));
        }
        return result;
    }

    private static EventTriggerSpec ReadEvent(TableReader table)
    {
        table.WarnUnknownKeys(EventKeys);
        var spec = new EventTriggerSpec();
        var after = table.StringList("after", allowSingle: true);
        if (after is null && !table.Has("after"))
        {
            table.Sink.Error(table.Where, table.KeyPath("after"), "missing: name the hands whose runs start this one, e.g. after = [\"fetch-prices\"]");
        }
        var parents = new List<string>();
        foreach (var name in after ?? [])
        {
            if (!ManifestReader.IsValidName(name)) table.Error("after", $"'{name}' is not a hand name");
            else if (!parents.Contains(name, StringComparer.Ordinal)) parents.Add(name);
        }
        if (after is { Count: 0 }) table.Error("after", "name at least one hand");

        var on = new List<EventOn>();
        var words = table.StringList("on", allowSingle: true);
        if (words is { Count: 0 }) table.Error("on", "name at least one outcome: 'success', 'failure', 'timeout' or 'any'");
        foreach (var word in words ?? [])
        {
            var match = Outcomes.FirstOrDefault(o => string.Equals(o, word.Trim(), StringComparison.OrdinalIgnoreCase));
            if (match is null)
            {
                table.Error("on", $"unknown outcome '{word}', expected {TableReader.JoinOr(Outcomes)}");
                continue;
            }
            var value = Enum.Parse<EventOn>(match, ignoreCase: true);
            if (!on.Contains(value)) on.Add(value);
        }

        var pattern = table.String("output_match");
        if (pattern is not null)
        {
            try
            {
                _ = new Regex(pattern, RegexOptions.CultureInvariant, TimeSpan.FromSeconds(1));
            }
            catch (ArgumentException ex)
            {
                table.Error("output_match", $"not a valid regular expression: {ex.Message}");
                pattern = null;
            }
        }

        var pointer = table.String("output_pointer");
        if (pointer is not null && JsonPointer.Problem(pointer) is { } problem)
        {
            table.Error("output_pointer", $"'{pointer}' is not a JSON pointer: {problem}");
            pointer = null;
        }
        var equals = EqualsJson(table);
        if (table.Has("output_pointer") && !table.Has("output_equals")) table.Error("output_pointer", "needs output_equals = <the value the parent's JSON output must have there>");
        if (table.Has("output_equals") && !table.Has("output_pointer")) table.Error("output_equals", "needs output_pointer = \"/path\" (where in the parent's JSON output to look)");

        var depth = table.Integer("max_depth");
        if (depth is < 1 or > MaxDepthLimit)
        {
            table.Error("max_depth", $"must be from 1 to {MaxDepthLimit}, got {depth}");
            depth = null;
        }
        return spec with
        {
            After = parents,
            On = on.Count > 0 ? on : spec.On,
            OutputMatch = pattern,
            OutputPointer = pointer,
            OutputEqualsJson = equals,
            MaxDepth = (int?)depth ?? spec.MaxDepth,
        };
    }

    /// <summary>output_equals as JSON text: a string, number or boolean.</summary>
    private static string? EqualsJson(TableReader table) => table.Raw("output_equals") switch
    {
        null => null,
        string s => "\"" + JsonEncodedText.Encode(s, JavaScriptEncoder.UnsafeRelaxedJsonEscaping) + "\"",
        long l => l.ToString(System.Globalization.CultureInfo.InvariantCulture),
        double d when double.IsFinite(d) => d.ToString("R", System.Globalization.CultureInfo.InvariantCulture),
        bool b => b ? "true" : "false",
        var other => Fail(table, other),
    };

    private static string? Fail(TableReader table, object? value)
    {
        table.TypeError("output_equals", "a string, a number or true/false", value);
        return null;
    }

    private static long? Positive(TableReader table, string key, long max, string unit)
    {
        var value = table.Integer(key);
        if (value is null) return null;
        if (value <= 0 || value > max)
        {
            table.Error(key, $"must be from 1 to {max} {unit}, got {value}");
            return null;
        }
        return value;
    }

    internal static string Spell(TriggerKind kind) => kind.ToString().ToLowerInvariant();

    private static string Spell(WebhookScheme scheme) => scheme.ToString().ToLowerInvariant();
}
