using System.Text.RegularExpressions;
using HandsBot.Core.Configuration;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Options;

namespace HandsBot.Discord;

/// <summary>[discord] in config/handsbot.toml (or HANDSBOT_DISCORD__*).</summary>
public sealed class DiscordOptions
{
    public const string Section = "discord";
    [ConfigurationKeyName("token")] public string Token { get; set; } = "";
    [ConfigurationKeyName("application_id")] public string ApplicationId { get; set; } = "";
    [ConfigurationKeyName("api_url")] public string ApiUrl { get; set; } = "https://discord.com/api/v10";
    [ConfigurationKeyName("default_channel")] public string DefaultChannel { get; set; } = "";
    /// <summary>Register commands to this guild only (instant updates) instead of globally.</summary>
    [ConfigurationKeyName("guild_id")] public string GuildId { get; set; } = "";
    /// <summary>Set to serve the HTTP interactions endpoint (Ed25519-verified) instead of only the gateway.</summary>
    [ConfigurationKeyName("public_key")] public string PublicKey { get; set; } = "";

    public bool Enabled => !string.IsNullOrWhiteSpace(Token);
}

/// <summary>Checks [discord]; each problem names where the setting was set and what to write instead.</summary>
internal sealed partial class DiscordOptionsValidator(ISettingOrigins origins, IOptions<HttpOptions> http) : IValidateOptions<DiscordOptions>
{
    public ValidateOptionsResult Validate(string? name, DiscordOptions options)
    {
        var p = new ProblemList(origins);
        p.Check(Uri.TryCreate(options.ApiUrl, UriKind.Absolute, out _), "discord:api_url", $"not an absolute URL: \"{options.ApiUrl}\"");
        p.Check(options.DefaultChannel.Length == 0 || RouteFormats.IsDiscordId(options.DefaultChannel), "discord:default_channel", $"expected a channel id (digits), got \"{options.DefaultChannel}\"");
        p.Check(options.GuildId.Length == 0 || RouteFormats.IsDiscordId(options.GuildId), "discord:guild_id", $"expected a server id (digits), got \"{options.GuildId}\"");
        // Checked whenever set, not only with a token: `handsbot invite` builds a link from it.
        p.Check(options.ApplicationId.Length == 0 || RouteFormats.IsDiscordId(options.ApplicationId), "discord:application_id", $"expected the Application ID from the Developer Portal (digits), got \"{options.ApplicationId}\"");
        if (options.Enabled)
        {
            p.Check(options.ApplicationId.Length > 0, "discord:application_id", "required with a Discord token (the Application ID from the Developer Portal)");
        }
        if (options.PublicKey.Length > 0)
        {
            p.Check(PublicKey().IsMatch(options.PublicKey), "discord:public_key", "expected the 64 hex characters of the application's public key");
            p.Check(http.Value.Listen.Length > 0, "http:listen", "the Discord interactions endpoint (public_key) needs an address to listen on");
        }
        return p.Result;
    }

    [GeneratedRegex(@"^[0-9a-fA-F]{64}$")]
    private static partial Regex PublicKey();
}
