using System.Globalization;
using System.Text;
using System.Text.Json;
using HandsBot.Core.Model;

namespace HandsBot.Core.Manifest;

/// <summary>
/// A stable JSON form of a <see cref="HandManifest"/> for the SQLite index: snake_case keys, durations in whole
/// seconds, enums as their HAND.toml spellings, and [parameters] embedded as an object.
/// </summary>
public static class ManifestJson
{
    public static string Serialize(HandManifest m)
    {
        ArgumentNullException.ThrowIfNull(m);
        using var buffer = new MemoryStream();
        using (var w = new Utf8JsonWriter(buffer))
        {
            w.WriteStartObject();
            w.WriteString("name", m.Name);
            w.WriteString("description", m.Description);
            w.WriteBoolean("enabled", m.Enabled);
            WriteOptional(w, "version", m.Version);
            WriteOptional(w, "author", m.Author);
            w.WriteString("overlap", Spell(m.Overlap));
            w.WriteString("kind", m.IsAgent ? "agent" : "command");
            w.WritePropertyName("schedule");
            WriteSchedule(w, m.Schedule);
            w.WriteString("trigger", Spell(m.Trigger));
            w.WritePropertyName("webhook");
            WriteWebhook(w, m.Webhook);
            w.WritePropertyName("event");
            WriteEvent(w, m.Event);
            w.WritePropertyName("run");
            WriteRun(w, m.Run);
            w.WritePropertyName("agent");
            WriteAgent(w, m.Agent);
            w.WriteStartObject("tools");
            WriteStrings(w, "required", m.RequiredTools);
            WriteStrings(w, "optional", m.OptionalTools);
            w.WriteEndObject();
            w.WriteStartArray("approval_gates");
            foreach (var gate in m.Gates) WriteGate(w, gate);
            w.WriteEndArray();
            w.WriteStartObject("output");
            w.WriteBoolean("dashboard", m.Output.Dashboard);
            WriteStrings(w, "channels", m.Output.Channels);
            w.WriteString("format", Spell(m.Output.Format));
            WriteOptional(w, "file_drop", m.Output.FileDrop);
            w.WriteEndObject();
            w.WritePropertyName("parameters");
            WriteParameters(w, m.ParametersJson);
            w.WriteEndObject();
        }
        return Encoding.UTF8.GetString(buffer.ToArray());
    }

    /// <summary>Reads what <see cref="Serialize"/> wrote. Throws <see cref="JsonException"/> for other input.</summary>
    public static HandManifest Deserialize(string json)
    {
        using var doc = JsonDocument.Parse(json);
        var r = doc.RootElement;
        var tools = r.GetProperty("tools");
        var output = r.GetProperty("output");
        return new HandManifest
        {
            Name = r.GetProperty("name").GetString() ?? throw new JsonException("name is null"),
            Description = r.GetProperty("description").GetString() ?? "",
            Enabled = r.GetProperty("enabled").GetBoolean(),
            Version = OptionalString(r, "version"),
            Author = OptionalString(r, "author"),
            Overlap = Parse<OverlapPolicy>(r.GetProperty("overlap").GetString()),
            Schedule = ReadSchedule(r.GetProperty("schedule")),
            // Rows written before triggers existed have none of these keys.
            Trigger = r.TryGetProperty("trigger", out var trigger) ? Parse<TriggerKind>(trigger.GetString()) : TriggerKind.Schedule,
            Webhook = r.TryGetProperty("webhook", out var webhook) ? ReadWebhook(webhook) : null,
            Event = r.TryGetProperty("event", out var events) ? ReadEvent(events) : null,
            Run = ReadRun(r.GetProperty("run")),
            Agent = ReadAgent(r.GetProperty("agent")),
            RequiredTools = Strings(tools.GetProperty("required")),
            OptionalTools = Strings(tools.GetProperty("optional")),
            Gates = [.. r.GetProperty("approval_gates").EnumerateArray().Select(ReadGate)],
            Output = new OutputSpec
            {
                Dashboard = output.GetProperty("dashboard").GetBoolean(),
                Channels = Strings(output.GetProperty("channels")),
                Format = Parse<OutputFormat>(output.GetProperty("format").GetString()),
                FileDrop = OptionalString(output, "file_drop"),
            },
            ParametersJson = r.GetProperty("parameters").GetRawText(),
        };
    }

    private static void WriteSchedule(Utf8JsonWriter w, HandSchedule? s)
    {
        if (s is null)
        {
            w.WriteNullValue();
            return;
        }
        w.WriteStartObject();
        w.WriteString("kind", Spell(s.Kind));
        WriteOptional(w, "cron", s.Cron);
        if (s.Interval is { } interval) w.WriteNumber("interval", (long)interval.TotalSeconds);
        WriteStrings(w, "at", [.. s.At.Select(t => t.ToString("HH:mm", CultureInfo.InvariantCulture))]);
        w.WriteString("timezone", s.TimeZone);
        w.WriteString("misfire", Spell(s.Misfire));
        w.WriteNumber("misfire_grace", (long)s.MisfireGrace.TotalSeconds);
        w.WriteEndObject();
    }

    private static HandSchedule? ReadSchedule(JsonElement e) => e.ValueKind == JsonValueKind.Null ? null : new HandSchedule
    {
        Kind = Parse<ScheduleKind>(e.GetProperty("kind").GetString()),
        Cron = OptionalString(e, "cron"),
        Interval = e.TryGetProperty("interval", out var i) ? TimeSpan.FromSeconds(i.GetInt64()) : null,
        At = [.. e.GetProperty("at").EnumerateArray().Select(t => TimeOnly.ParseExact(t.GetString()!, "HH:mm", CultureInfo.InvariantCulture))],
        TimeZone = e.GetProperty("timezone").GetString() ?? "UTC",
        Misfire = Parse<MisfirePolicy>(e.GetProperty("misfire").GetString()),
        MisfireGrace = TimeSpan.FromSeconds(e.GetProperty("misfire_grace").GetInt64()),
    };

    private static void WriteWebhook(Utf8JsonWriter w, WebhookSpec? h)
    {
        if (h is null)
        {
            w.WriteNullValue();
            return;
        }
        w.WriteStartObject();
        WriteStrings(w, "secret_env", h.SecretEnv);
        w.WriteString("scheme", Spell(h.Scheme));
        w.WriteNumber("max_body", h.MaxBody);
        w.WriteNumber("tolerance", (long)h.Tolerance.TotalSeconds);
        w.WriteStartObject("params");
        foreach (var p in h.Params) w.WriteString(p.Name, p.Pointer);
        w.WriteEndObject();
        w.WriteNumber("max_param", h.MaxParam);
        w.WriteNumber("rate_limit", h.RatePerMinute);
        w.WriteNumber("burst", h.Burst);
        w.WriteEndObject();
    }

    private static WebhookSpec? ReadWebhook(JsonElement e) => e.ValueKind == JsonValueKind.Null ? null : new WebhookSpec
    {
        SecretEnv = Strings(e.GetProperty("secret_env")),
        Scheme = Parse<WebhookScheme>(e.GetProperty("scheme").GetString()),
        MaxBody = e.GetProperty("max_body").GetInt64(),
        Tolerance = TimeSpan.FromSeconds(e.GetProperty("tolerance").GetInt64()),
        Params = [.. e.GetProperty("params").EnumerateObject().Select(p => new WebhookParam(p.Name, p.Value.GetString() ?? ""))],
        MaxParam = e.GetProperty("max_param").GetInt32(),
        RatePerMinute = e.GetProperty("rate_limit").GetInt32(),
        Burst = e.GetProperty("burst").GetInt32(),
    };

    private static void WriteEvent(Utf8JsonWriter w, EventTriggerSpec? t)
    {
        if (t is null)
        {
            w.WriteNullValue();
            return;
        }
        w.WriteStartObject();
        WriteStrings(w, "after", t.After);
        WriteStrings(w, "on", [.. t.On.Select(o => Spell(o))]);
        WriteOptional(w, "output_match", t.OutputMatch);
        WriteOptional(w, "output_pointer", t.OutputPointer);
        WriteOptional(w, "output_equals", t.OutputEqualsJson);
        w.WriteNumber("max_depth", t.MaxDepth);
        w.WriteEndObject();
    }

    private static EventTriggerSpec? ReadEvent(JsonElement e) => e.ValueKind == JsonValueKind.Null ? null : new EventTriggerSpec
    {
        After = Strings(e.GetProperty("after")),
        On = [.. e.GetProperty("on").EnumerateArray().Select(o => Parse<EventOn>(o.GetString()))],
        OutputMatch = OptionalString(e, "output_match"),
        OutputPointer = OptionalString(e, "output_pointer"),
        OutputEqualsJson = OptionalString(e, "output_equals"),
        MaxDepth = e.GetProperty("max_depth").GetInt32(),
    };

    private static void WriteRun(Utf8JsonWriter w, RunSpec? run)
    {
        if (run is null)
        {
            w.WriteNullValue();
            return;
        }
        w.WriteStartObject();
        WriteOptional(w, "command", run.CommandLine);
        if (run.Argv is { } argv) WriteStrings(w, "argv", argv);
        w.WriteNumber("timeout", (long)run.Timeout.TotalSeconds);
        w.WriteEndObject();
    }

    private static RunSpec? ReadRun(JsonElement e) => e.ValueKind == JsonValueKind.Null ? null : new RunSpec
    {
        CommandLine = OptionalString(e, "command"),
        Argv = e.TryGetProperty("argv", out var argv) ? Strings(argv) : null,
        Timeout = TimeSpan.FromSeconds(e.GetProperty("timeout").GetInt64()),
    };

    private static void WriteAgent(Utf8JsonWriter w, AgentSpec? agent)
    {
        if (agent is null)
        {
            w.WriteNullValue();
            return;
        }
        w.WriteStartObject();
        WriteOptional(w, "model", agent.Model);
        WriteOptional(w, "endpoint", agent.Endpoint);
        w.WriteNumber("max_iterations", agent.MaxIterations);
        w.WriteNumber("temperature", agent.Temperature);
        w.WriteNumber("timeout", (long)agent.Timeout.TotalSeconds);
        w.WriteEndObject();
    }

    private static AgentSpec? ReadAgent(JsonElement e) => e.ValueKind == JsonValueKind.Null ? null : new AgentSpec
    {
        Model = OptionalString(e, "model"),
        Endpoint = OptionalString(e, "endpoint"),
        MaxIterations = e.GetProperty("max_iterations").GetInt32(),
        Temperature = e.GetProperty("temperature").GetDouble(),
        Timeout = TimeSpan.FromSeconds(e.GetProperty("timeout").GetInt64()),
    };

    private static void WriteGate(Utf8JsonWriter w, ApprovalGate g)
    {
        w.WriteStartObject();
        w.WriteString("key", g.Key);
        w.WriteString("action", g.Action);
        w.WriteString("description", g.Description);
        if (g.AutoApproveAfter is { } auto) w.WriteNumber("auto_approve_after", (long)auto.TotalSeconds);
        if (g.ExpiresAfter is { } expires) w.WriteNumber("expires_after", (long)expires.TotalSeconds);
        if (g.Command is { } command)
        {
            w.WritePropertyName("command");
            WriteRun(w, command);
        }
        WriteStrings(w, "approvers", g.Approvers);
        w.WriteEndObject();
    }

    private static ApprovalGate ReadGate(JsonElement e) => new()
    {
        Key = e.GetProperty("key").GetString()!,
        Action = e.GetProperty("action").GetString()!,
        Description = e.GetProperty("description").GetString() ?? "",
        AutoApproveAfter = e.TryGetProperty("auto_approve_after", out var a) ? TimeSpan.FromSeconds(a.GetInt64()) : null,
        ExpiresAfter = e.TryGetProperty("expires_after", out var x) ? TimeSpan.FromSeconds(x.GetInt64()) : null,
        Command = e.TryGetProperty("command", out var c) ? ReadRun(c) : null,
        Approvers = Strings(e.GetProperty("approvers")),
    };

    private static void WriteParameters(Utf8JsonWriter w, string json)
    {
        try
        {
            using var doc = JsonDocument.Parse(json);
            doc.RootElement.WriteTo(w);
        }
        catch (JsonException)
        {
            // ParametersJson always comes from the parser; a hand-built manifest with bad JSON keeps a valid index row.
            w.WriteStartObject();
            w.WriteEndObject();
        }
    }

    private static void WriteOptional(Utf8JsonWriter w, string name, string? value)
    {
        if (value is not null) w.WriteString(name, value);
    }

    private static void WriteStrings(Utf8JsonWriter w, string name, IReadOnlyList<string> values)
    {
        w.WriteStartArray(name);
        foreach (var v in values) w.WriteStringValue(v);
        w.WriteEndArray();
    }

    private static string? OptionalString(JsonElement e, string name) =>
        e.TryGetProperty(name, out var v) && v.ValueKind == JsonValueKind.String ? v.GetString() : null;

    private static List<string> Strings(JsonElement array) => [.. array.EnumerateArray().Select(v => v.GetString() ?? "")];

    /// <summary>Enum values in HAND.toml spelling: RunOnce → "run_once".</summary>
    internal static string Spell<T>(T value) where T : struct, Enum
    {
        var name = value.ToString();
        var builder = new StringBuilder(name.Length + 4);
        for (var i = 0; i < name.Length; i++)
        {
            if (char.IsUpper(name[i]) && i > 0) builder.Append('_');
            builder.Append(char.ToLowerInvariant(name[i]));
        }
        return builder.ToString();
    }

    private static T Parse<T>(string? spelled) where T : struct, Enum =>
        Enum.TryParse<T>((spelled ?? "").Replace("_", "", StringComparison.Ordinal), ignoreCase: true, out var value)
            ? value
            : throw new JsonException($"unknown {typeof(T).Name} '{spelled}'");
}
