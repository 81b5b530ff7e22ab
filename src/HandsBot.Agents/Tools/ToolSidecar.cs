using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using Tomlyn;
using Tomlyn.Model;

namespace HandsBot.Agents.Tools;

/// <summary>
/// Reads a tool's sidecar <c>&lt;name&gt;.toml</c>:
/// <code>
/// description = "What the tool does, for the model"   # required
/// timeout = 30                                        # seconds, optional (default 60)
/// [parameters]                                        # optional JSON schema written as TOML (default: no arguments)
/// type = "object"
/// required = ["path"]
/// [parameters.properties.path]
/// type = "string"
/// description = "Mount point to inspect"
/// </code>
/// </summary>
internal static class ToolSidecar
{
    public static readonly TimeSpan DefaultTimeout = TimeSpan.FromSeconds(60);

    private static readonly HashSet<string> KnownKeys = ["description", "timeout", "parameters"];

    public static ToolDefinition Parse(string toolName, string executablePath, string sidecarText, string sidecarDisplayPath)
    {
        TomlTable table;
        try
        {
            table = TomlSerializer.Deserialize<TomlTable>(sidecarText, new TomlSerializerOptions { SourceName = sidecarDisplayPath })
                ?? new TomlTable();
        }
        catch (TomlException e)
        {
            throw new AgentSetupException(sidecarDisplayPath, $"invalid TOML: {e.Message}", e);
        }

        foreach (var key in table.Keys.Where(k => !KnownKeys.Contains(k)))
            throw new AgentSetupException(sidecarDisplayPath, $"unknown key '{key}' (expected description, timeout, [parameters])");

        if (!table.TryGetValue("description", out var d) || d is not string description || string.IsNullOrWhiteSpace(description))
            throw new AgentSetupException(sidecarDisplayPath, $"description: a non-empty string is required (the model reads it to decide when to call the tool)");

        var timeout = DefaultTimeout;
        if (table.TryGetValue("timeout", out var t))
        {
            var seconds = t is long or double ? Convert.ToDouble(t, CultureInfo.InvariantCulture) : double.NaN;
            if (!(seconds > 0))
                throw new AgentSetupException(sidecarDisplayPath, $"timeout: expected a positive number of seconds");
            timeout = TimeSpan.FromSeconds(seconds);
        }

        JsonObject schema;
        if (table.TryGetValue("parameters", out var p))
        {
            if (p is not TomlTable parameters)
                throw new AgentSetupException(sidecarDisplayPath, $"parameters: expected a table ([parameters]) holding a JSON schema");
            schema = (JsonObject)TomlJson.ToJson(parameters)!;
            if (!schema.ContainsKey("type"))
                schema["type"] = "object";
            if (schema["type"]?.GetValue<string>() != "object")
                throw new AgentSetupException(sidecarDisplayPath, $"parameters.type: must be \"object\" (tools take a JSON object)");
        }
        else
        {
            schema = new JsonObject { ["type"] = "object", ["properties"] = new JsonObject() };
        }

        var parametersElement = JsonSerializer.SerializeToElement(schema, ToolJsonContext.Default.JsonObject);
        return new ToolDefinition(toolName, executablePath, description.Trim(), parametersElement, timeout);
    }
}
