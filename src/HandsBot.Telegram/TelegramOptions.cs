using System.Text.RegularExpressions;
using HandsBot.Core.Configuration;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Options;

namespace HandsBot.Telegram;

/// <summary>[telegram] in config/handsbot.toml (or HANDSBOT_TELEGRAM__*).</summary>
public sealed class TelegramOptions
{
    public const string Section = "telegram";
    [ConfigurationKeyName("token")] public string Token { get; set; } = "";
    [ConfigurationKeyName("api_url")] public string ApiUrl { get; set; } = "https://api.telegram.org";
    [ConfigurationKeyName("default_chat")] public string DefaultChat { get; set; } = "";
    /// <summary>"polling" (default) or "webhook".</summary>
    [ConfigurationKeyName("mode")] public string Mode { get; set; } = "polling";
    [ConfigurationKeyName("webhook_url")] public string WebhookUrl { get; set; } = "";
    [ConfigurationKeyName("webhook_secret")] public string WebhookSecret { get; set; } = "";

    public bool Enabled => !string.IsNullOrWhiteSpace(Token);
}

/// <summary>Checks [telegram]; each problem names where the setting was set and what to write instead.</summary>
internal sealed partial class TelegramOptionsValidator(ISettingOrigins origins, IOptions<HttpOptions> http) : IValidateOptions<TelegramOptions>
{
    public ValidateOptionsResult Validate(string? name, TelegramOptions options)
    {
        var p = new ProblemList(origins);
        p.Check(Uri.TryCreate(options.ApiUrl, UriKind.Absolute, out _), "telegram:api_url", $"not an absolute URL: \"{options.ApiUrl}\"");
        p.Check(options.Mode is "polling" or "webhook", "telegram:mode", $"expected \"polling\" or \"webhook\", got \"{options.Mode}\"");
        p.Check(options.DefaultChat.Length == 0 || RouteFormats.IsTelegramChat(options.DefaultChat), "telegram:default_chat", $"expected {RouteFormats.TelegramChatExpected}, got \"{options.DefaultChat}\"");
        if (options.Enabled && options.Mode == "webhook")
        {
            p.Check(Uri.TryCreate(options.WebhookUrl, UriKind.Absolute, out var hook) && hook.Scheme == "https", "telegram:webhook_url", "webhook mode needs the public https URL Telegram should call");
            p.Check(WebhookSecret().IsMatch(options.WebhookSecret), "telegram:webhook_secret", "webhook mode needs a secret of 1-256 characters A-Z, a-z, 0-9, _ or -");
            p.Check(http.Value.Listen.Length > 0, "http:listen", "webhook mode needs an address to listen on, e.g. \"http://0.0.0.0:8080\"");
        }
        return p.Result;
    }

    [GeneratedRegex(@"^[A-Za-z0-9_-]{1,256}$")]
    private static partial Regex WebhookSecret();
}
