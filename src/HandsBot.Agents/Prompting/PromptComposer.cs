using System.Globalization;
using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Nodes;
using HandsBot.Agents.Tools;
using HandsBot.Core.Model;

namespace HandsBot.Agents.Prompting;

/// <summary>
/// Builds the system prompt: SYSTEM.md (or a default from the manifest), the skills, the execution
/// context and the output instructions, as clearly headed sections. Deterministic for a given input.
/// </summary>
internal static class PromptComposer
{
    private static readonly JsonSerializerOptions Indented = new()
    {
        WriteIndented = true,
        Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
        TypeInfoResolver = ToolJsonContext.Default,
    };

    public static string ComposeSystem(HandDefinition hand, IReadOnlyList<ToolDefinition> tools, RunTrigger trigger, DateTimeOffset now)
    {
        var manifest = hand.Manifest!;
        var text = new StringBuilder();

        text.Append(string.IsNullOrWhiteSpace(hand.SystemPrompt) ? DefaultSystem(manifest, tools) : hand.SystemPrompt.Trim());
        text.Append("\n\n");

        foreach (var skill in hand.Skills)
        {
            text.Append("## Skill: ").Append(SkillTitle(skill.Name)).Append("\n\n");
            text.Append(skill.Content.Trim()).Append("\n\n");
        }

        var zone = FindZone(manifest.Schedule?.TimeZone ?? "UTC");
        var local = TimeZoneInfo.ConvertTime(now, zone);
        text.Append("## Execution context\n\n");
        text.Append("- Hand: ").Append(manifest.Name).Append('\n');
        text.Append("- Trigger: ").Append(TriggerText(trigger)).Append('\n');
        text.Append("- Time: ").Append(local.ToString("yyyy-MM-dd'T'HH:mm:sszzz", CultureInfo.InvariantCulture))
            .Append(" (").Append(local.ToString("dddd", CultureInfo.InvariantCulture)).Append(", ").Append(zone.Id).Append(")\n");
        text.Append("- Parameters:\n\n```json\n").Append(IndentJson(manifest.ParametersJson)).Append("\n```\n\n");

        text.Append("## Output\n\n").Append(OutputInstruction(manifest.Output.Format)).Append('\n');
        return text.ToString();
    }

    /// <summary>The user turn that starts a run.</summary>
    public static string ComposeTask(RunTrigger trigger) =>
        $"Perform your task now ({TriggerText(trigger)}). Call the tools you need, then reply with the final result only.";

    private static string DefaultSystem(HandManifest manifest, IReadOnlyList<ToolDefinition> tools)
    {
        var text = new StringBuilder();
        text.Append("You are ").Append(manifest.Name).Append(", an autonomous agent.");
        if (!string.IsNullOrWhiteSpace(manifest.Description))
            text.Append(" Your task: ").Append(manifest.Description.Trim().TrimEnd('.')).Append('.');
        if (tools.Count == 0)
        {
            text.Append("\nYou have no tools; answer from the context below.");
        }
        else
        {
            text.Append("\nYou can call these tools:\n");
            foreach (var tool in tools)
                text.Append("- ").Append(tool.Name).Append(": ").Append(tool.Description).Append('\n');
            text.Append("Use them to gather facts; never invent data a tool could provide.");
        }
        return text.ToString();
    }

    private static string OutputInstruction(OutputFormat format) => format switch
    {
        OutputFormat.Json =>
            "Reply with one JSON value and nothing else: no prose, no code fences.",
        OutputFormat.Html =>
            "Reply with an HTML fragment (no <html>, <head> or <body>) using simple tags: <b>, <i>, <a>, <code>, <pre>, <ul>, <li>, <p>.",
        OutputFormat.Text =>
            "Reply in plain text without markup.",
        _ =>
            "Reply in Markdown (headings, lists, bold, links, code). It is posted to chat as written: " +
            "be concise, lead with what matters, and do not describe your tool calls.",
    };

    private static string TriggerText(RunTrigger trigger) => trigger switch
    {
        RunTrigger.Schedule => "scheduled run",
        RunTrigger.Manual => "manual run requested by a user",
        RunTrigger.Retry => "retry of a failed run",
        RunTrigger.Approval => "continuation after a human decision",
        RunTrigger.Webhook => "webhook call",
        RunTrigger.Event => "another hand's run ended",
        _ => trigger.ToString(),
    };

    private static string SkillTitle(string name) =>
        name.EndsWith(".md", StringComparison.OrdinalIgnoreCase) ? name[..^3] : name;

    private static TimeZoneInfo FindZone(string id)
    {
        try
        {
            return TimeZoneInfo.FindSystemTimeZoneById(id);
        }
        catch (Exception e) when (e is TimeZoneNotFoundException or InvalidTimeZoneException)
        {
            // The manifest validator reports unknown zones; here the run still gets a correct UTC time.
            return TimeZoneInfo.Utc;
        }
    }

    private static string IndentJson(string json)
    {
        try
        {
            var node = JsonNode.Parse(json);
            return node is null ? "{}" : node.ToJsonString(Indented);
        }
        catch (JsonException)
        {
            return json;
        }
    }
}
