using System.Text.RegularExpressions;
using HandsBot.Core.Manifest.Disk;
using HandsBot.Core.Model;
using Tomlyn.Model;

namespace HandsBot.Core.Manifest.Parsing;

/// <summary>Turns a parsed HAND.toml into a <see cref="HandManifest"/>, reporting every problem it finds.</summary>
internal static partial class ManifestReader
{
    public static readonly string[] Sections = ["hand", "run", "agent", "tools", "approval_gates", "output", "parameters", "webhook", "trigger"];
    public static readonly string[] HandKeys = ["name", "description", "schedule", "enabled", "version", "author", "overlap", "trigger"];
    public static readonly string[] RunKeys = ["command", "timeout"];
    public static readonly string[] ToolKeys = ["required", "optional"];

    [GeneratedRegex("^[a-z0-9][a-z0-9_-]{0,31}$", RegexOptions.CultureInvariant)]
    private static partial Regex NamePattern();

    public static bool IsValidName(string name) => NamePattern().IsMatch(name);

    /// <summary>The manifest (null without a usable [hand] table), where its name was written, and where its [trigger] after list is.</summary>
    public static (HandManifest? Manifest, SourceLocation NameAt, SourceLocation AfterAt) Read(
        TomlDocument document, DiagnosticSink sink, string defaultName, HandLoadContext context, HandEnvironment? environment)
    {
        var root = new TableReader(document, sink, document.Root, "", SourceLocation.Unknown);
        WarnUnknownSections(root);

        if (root.Raw("hand") is not TomlTable)
        {
            if (root.Has("hand"))
            {
                root.TypeError("hand", "a table ([hand])", root.Raw("hand"));
            }
            else
            {
                sink.Error(new SourceLocation(1, 1), "hand", "missing [hand] section (it holds name, description and schedule)");
            }
            return (null, SourceLocation.Unknown, SourceLocation.Unknown);
        }

        var handTable = (TomlTable)root.Raw("hand")!;
        // Keys under [hand] are shown without a prefix ("schedule", not "hand.schedule"): it is the main section.
        var hand = new TableReader(document, sink, handTable, "", document.KeyAt(document.Root, "hand"));
        hand.WarnUnknownKeys(HandKeys);

        var (name, nameAt) = ReadName(hand, defaultName);
        var description = hand.String("description") ?? "";
        var overlap = hand.Choice("overlap", "skip", "queue", "replace");

        var (run, agent) = ReadRunOrAgent(root, environment);
        var (required, optional) = ReadTools(root, environment);
        var gates = root.Child("approval_gates") is { } g ? GateReader.Read(g, environment) : [];
        var output = root.Child("output") is { } o ? OutputReader.Read(o, context) : new OutputSpec();
        var parameters = root.Child("parameters") is { } p ? ParametersJson.From(p.Table) : "{}";
        var trigger = TriggerReader.Read(root, hand, ScheduleReader.Read(hand), onDisk: environment is not null);

        var manifest = new HandManifest
        {
            Name = name,
            Description = description,
            Schedule = trigger.Schedule,
            Enabled = hand.Bool("enabled") ?? true,
            Version = hand.String("version"),
            Author = hand.String("author"),
            Overlap = overlap switch
            {
                "queue" => OverlapPolicy.Queue,
                "replace" => OverlapPolicy.Replace,
                _ => OverlapPolicy.Skip,
            },
            Run = run,
            Agent = agent,
            RequiredTools = required,
            OptionalTools = optional,
            Gates = gates,
            Output = output,
            ParametersJson = parameters,
            Trigger = trigger.Kind,
            Webhook = trigger.Webhook,
            Event = trigger.Event,
        };
        return (manifest, nameAt, trigger.AfterAt);
    }

    private static void WarnUnknownSections(TableReader root)
    {
        foreach (var key in root.Table.Keys)
        {
            if (Sections.Contains(key, StringComparer.Ordinal)) continue;
            // A misplaced [hand] key at the top level ("schedule = ..." before [hand]) deserves a precise hint.
            var hint = HandKeys.Contains(key, StringComparer.Ordinal)
                ? $" (did you mean to put '{key}' under [hand]?)"
                : KeySuggester.Nearest(key, Sections) is { } s ? $" (did you mean [{s}]?)" : "";
            root.Sink.Warning(root.Document.KeyAt(root.Table, key), key, $"unknown section or key, ignored{hint}");
        }
    }

    private static (string Name, SourceLocation At) ReadName(TableReader hand, string defaultName)
    {
        var name = hand.String("name");
        if (name is null)
        {
            if (!hand.Has("name") && !IsValidName(defaultName))
            {
                hand.Sink.Error(hand.Where, "name",
                    $"folder name '{defaultName}' is not a valid hand name; set name = \"...\" under [hand] (lower-case letters, digits, '-' and '_', up to 32 characters)");
            }
            return (defaultName, hand.Has("name") ? hand.At("name") : hand.Where);
        }
        if (!IsValidName(name))
        {
            hand.Error("name", $"'{name}' is not a valid hand name: use 1-32 lower-case letters, digits, '-' or '_', starting with a letter or digit");
        }
        return (name, hand.At("name"));
    }

    private static (RunSpec? Run, AgentSpec? Agent) ReadRunOrAgent(TableReader root, HandEnvironment? environment)
    {
        var runTable = root.Child("run");
        var agentTable = root.Child("agent");
        if (runTable is not null && agentTable is not null)
        {
            root.Sink.Error(agentTable.Where, "agent", "a hand has either [run] (a command hand) or [agent] (an agent hand), not both");
        }

        RunSpec? run = null;
        if (runTable is not null)
        {
            runTable.WarnUnknownKeys(RunKeys);
            var timeout = runTable.Seconds("timeout", allowZero: false) ?? new RunSpec().Timeout;
            if (!runTable.Has("command"))
            {
                runTable.Sink.Error(runTable.Where, "run.command", "[run] needs command = \"...\" (a shell command line or an argv array)");
            }
            run = CommandReader.Read(runTable, "command", timeout, environment);
        }

        // No [run] means an agent hand, with defaults when [agent] is absent (as in the original format).
        AgentSpec? agent = null;
        if (agentTable is not null) agent = AgentReader.Read(agentTable);
        if (runTable is not null) return (run, null);
        return (null, agent ?? new AgentSpec());
    }

    private static (IReadOnlyList<string> Required, IReadOnlyList<string> Optional) ReadTools(TableReader root, HandEnvironment? environment)
    {
        if (root.Child("tools") is not { } tools) return ([], []);
        tools.WarnUnknownKeys(ToolKeys);
        var required = CheckTools(tools, "required", tools.StringList("required", allowSingle: false) ?? [], environment, missingIsError: true);
        var optional = CheckTools(tools, "optional", tools.StringList("optional", allowSingle: false) ?? [], environment, missingIsError: false);
        return (required, optional);
    }

    private static IReadOnlyList<string> CheckTools(TableReader tools, string key, IReadOnlyList<string> names, HandEnvironment? environment, bool missingIsError)
    {
        var result = new List<string>(names.Count);
        foreach (var name in names)
        {
            if (string.IsNullOrWhiteSpace(name) || name.IndexOfAny(['/', '\\']) >= 0 || name is "." or "..")
            {
                tools.Error(key, $"'{name}' is not a tool name (a file name, without folders)");
                continue;
            }
            if (result.Contains(name, StringComparer.Ordinal)) continue;
            result.Add(name);
            if (environment is null || environment.FindTool(name)) continue;
            var message = $"tool '{name}' not found in {environment.DescribeSearch()}";
            if (missingIsError) tools.Error(key, message);
            else tools.Warning(key, message + "; the hand runs without it");
        }
        return result;
    }
}
