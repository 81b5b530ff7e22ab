using System.Text.RegularExpressions;
using Microsoft.Extensions.Options;

namespace HandsBot.Core.Configuration;

/// <summary>Formats of the ids a route or a platform default may hold; shared by every validator that checks one.</summary>
public static partial class RouteFormats
{
    /// <summary>A Telegram chat id (-1001234567890 or @channel) with an optional forum topic ("-100123:42").</summary>
    public static bool IsTelegramChat(string value) => TelegramChat().IsMatch(value);

    /// <summary>A Discord id (a snowflake: digits).</summary>
    public static bool IsDiscordId(string value) => Snowflake().IsMatch(value);

    public const string TelegramChatExpected = "a chat id like -1001234567890 or \"-1001234567890:42\" for a topic";

    [GeneratedRegex(@"^(-?\d+|@[A-Za-z0-9_]{5,})(:\d+)?$")]
    private static partial Regex TelegramChat();

    [GeneratedRegex(@"^\d{1,20}$")]
    private static partial Regex Snowflake();
}

/// <summary>Collects the problems of one options object, each starting with where the setting was set.</summary>
public sealed class ProblemList(ISettingOrigins origins)
{
    private readonly List<string> _problems = [];

    public void Check(bool ok, string path, string message)
    {
        if (!ok) _problems.Add($"{origins.Locate(path)}: {message}");
    }

    public ValidateOptionsResult Result => _problems.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(_problems);
}

internal sealed class HandsOptionsValidator(ISettingOrigins origins) : IValidateOptions<HandsOptions>
{
    public ValidateOptionsResult Validate(string? name, HandsOptions options)
    {
        var p = new ProblemList(origins);
        p.Check(!string.IsNullOrWhiteSpace(options.Dir), "hands:dir", "must not be empty");
        return p.Result;
    }
}

internal sealed class StorageOptionsValidator(ISettingOrigins origins) : IValidateOptions<StorageOptions>
{
    public ValidateOptionsResult Validate(string? name, StorageOptions options)
    {
        var p = new ProblemList(origins);
        p.Check(!string.IsNullOrWhiteSpace(options.Path), "storage:path", "must not be empty");
        return p.Result;
    }
}

internal sealed class SchedulerOptionsValidator(ISettingOrigins origins) : IValidateOptions<SchedulerOptions>
{
    public ValidateOptionsResult Validate(string? name, SchedulerOptions options)
    {
        var p = new ProblemList(origins);
        p.Check(options.MaxConcurrentRuns >= 1, "scheduler:max_concurrent_runs", $"must be at least 1, got {options.MaxConcurrentRuns}");
        p.Check(options.ShutdownGraceSeconds >= 0, "scheduler:shutdown_grace", $"must not be negative, got {options.ShutdownGraceSeconds}");
        return p.Result;
    }
}

internal sealed class OutputOptionsValidator(ISettingOrigins origins) : IValidateOptions<OutputOptions>
{
    public ValidateOptionsResult Validate(string? name, OutputOptions options)
    {
        var p = new ProblemList(origins);
        p.Check(options.MaxParts >= 1, "output:max_parts", $"must be at least 1, got {options.MaxParts}");
        return p.Result;
    }
}

internal sealed class HttpOptionsValidator(ISettingOrigins origins) : IValidateOptions<HttpOptions>
{
    public ValidateOptionsResult Validate(string? name, HttpOptions options)
    {
        var p = new ProblemList(origins);
        p.Check(options.Listen.Length == 0 || Uri.TryCreate(options.Listen, UriKind.Absolute, out _), "http:listen", $"expected a URL like \"http://0.0.0.0:8080\", got \"{options.Listen}\"");
        p.Check(options.PublicUrl.Length == 0 || (Uri.TryCreate(options.PublicUrl, UriKind.Absolute, out var url) && url.Scheme is "http" or "https" && url.Query.Length == 0 && url.Fragment.Length == 0),
            "http:public_url", $"expected an absolute http(s) URL without query like \"https://bot.example.com\", got \"{options.PublicUrl}\"");
        return p.Result;
    }
}

internal sealed partial class AccessOptionsValidator(ISettingOrigins origins) : IValidateOptions<AccessOptions>
{
    public ValidateOptionsResult Validate(string? name, AccessOptions options)
    {
        var p = new ProblemList(origins);
        foreach (var (role, list) in new[] { ("admins", options.Admins), ("operators", options.Operators), ("viewers", options.Viewers) })
        {
            for (var i = 0; i < list.Count; i++)
            {
                p.Check(Identity().IsMatch(list[i]), $"access:{role}:{i}", $"\"{list[i]}\" is not an identity; use \"telegram:<user id>\", \"discord:<user id>\" or \"discord-role:<role id>\"");
            }
        }
        return p.Result;
    }

    [GeneratedRegex(@"^(telegram|discord|discord-role|console):[A-Za-z0-9_-]+$")]
    private static partial Regex Identity();
}

internal sealed class ChannelsOptionsValidator(ISettingOrigins origins) : IValidateOptions<ChannelsOptions>
{
    public ValidateOptionsResult Validate(string? name, ChannelsOptions options)
    {
        var p = new ProblemList(origins);
        foreach (var (route, target) in options.Routes)
        {
            var at = $"channels:{route}";
            p.Check(target.Telegram.Length > 0 || target.Discord.Length > 0, at + ":", "set telegram = \"<chat id>\" and/or discord = \"<channel id>\"");
            p.Check(target.Telegram.Length == 0 || RouteFormats.IsTelegramChat(target.Telegram), at + ":telegram", $"expected {RouteFormats.TelegramChatExpected}, got \"{target.Telegram}\"");
            p.Check(target.Discord.Length == 0 || RouteFormats.IsDiscordId(target.Discord), at + ":discord", $"expected a channel id (digits), got \"{target.Discord}\"");
        }
        return p.Result;
    }
}
