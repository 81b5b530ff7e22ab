using HandsBot.Core.Configuration;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Options;

namespace HandsBot.Agents;

/// <summary>[llm] in config/handsbot.toml (or HANDSBOT_LLM__*): the endpoint agent hands use by default.</summary>
public sealed class LlmOptions
{
    public const string Section = "llm";
    [ConfigurationKeyName("endpoint")] public string Endpoint { get; set; } = "http://localhost:11434/v1";
    [ConfigurationKeyName("api_key")] public string ApiKey { get; set; } = "";
    /// <summary>Shared tools folder (besides each hand's tools/).</summary>
    [ConfigurationKeyName("tools_dir")] public string ToolsDir { get; set; } = "";
}

/// <summary>Checks [llm]; each problem names where the setting was set.</summary>
internal sealed class LlmOptionsValidator(ISettingOrigins origins) : IValidateOptions<LlmOptions>
{
    public ValidateOptionsResult Validate(string? name, LlmOptions options)
    {
        var p = new ProblemList(origins);
        p.Check(Uri.TryCreate(options.Endpoint, UriKind.Absolute, out _), "llm:endpoint", $"not an absolute URL: \"{options.Endpoint}\"");
        return p.Result;
    }
}
