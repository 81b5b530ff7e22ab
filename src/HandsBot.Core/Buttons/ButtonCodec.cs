using System.Globalization;
using System.Text;

namespace HandsBot.Core.Buttons;

/// <summary>What a HandsBot button does.</summary>
public enum ButtonAction
{
    /// <summary>Approve the approval whose reference is the argument.</summary>
    Approve,
    /// <summary>Reject the approval whose reference is the argument.</summary>
    Reject,
    /// <summary>Run the hand named by the argument.</summary>
    Run,
    Pause,
    Resume,
    /// <summary>Show page N (1-based) of the /hands listing.</summary>
    Page,
    /// <summary>Show the full output of the execution whose id prefix is the argument.</summary>
    Output,
}

public enum ButtonParseStatus
{
    Ok,
    /// <summary>A HandsBot id of another version (an old message's button).</summary>
    UnknownVersion,
    /// <summary>Not a HandsBot id, or a broken one.</summary>
    Malformed,
}

/// <summary>A parsed button id. <see cref="Action"/> and <see cref="Argument"/> are meaningful only when <see cref="Status"/> is Ok.</summary>
public sealed record ButtonParseResult(ButtonParseStatus Status, ButtonAction Action, string Argument, string? Problem = null)
{
    public bool IsOk => Status == ButtonParseStatus.Ok;
}

/// <summary>
/// The one codec for button ids on every platform: "hb1:&lt;action&gt;:&lt;argument&gt;".
/// Ids fit Telegram's callback_data (64 bytes) and Discord's custom_id (100 characters).
/// The version prefix lets a future format tell old buttons apart instead of misreading them.
/// </summary>
public static class ButtonCodec
{
    public const string Version = "hb1";
    /// <summary>The smaller of Telegram's 64-byte callback_data and Discord's 100-character custom_id.</summary>
    public const int MaxBytes = 64;

    private const string VersionStem = "hb";

    private static readonly (ButtonAction Action, string Token)[] Tokens =
    [
        (ButtonAction.Approve, "a"),
        (ButtonAction.Reject, "r"),
        (ButtonAction.Run, "run"),
        (ButtonAction.Pause, "pause"),
        (ButtonAction.Resume, "resume"),
        (ButtonAction.Page, "page"),
        (ButtonAction.Output, "out"),
    ];

    public static string Approve(string reference) => Encode(ButtonAction.Approve, reference);
    public static string Reject(string reference) => Encode(ButtonAction.Reject, reference);
    public static string Run(string hand) => Encode(ButtonAction.Run, hand);
    public static string Pause(string hand) => Encode(ButtonAction.Pause, hand);
    public static string Resume(string hand) => Encode(ButtonAction.Resume, hand);
    public static string Page(int page) => Encode(ButtonAction.Page, page.ToString(CultureInfo.InvariantCulture));
    public static string Output(string executionIdPrefix) => Encode(ButtonAction.Output, executionIdPrefix);

    /// <summary>Builds an id. Throws <see cref="ArgumentException"/> when the argument is invalid or the id would be too long.</summary>
    public static string Encode(ButtonAction action, string argument)
    {
        ArgumentNullException.ThrowIfNull(argument);
        if (CheckArgument(action, argument) is { } problem)
            throw new ArgumentException($"Invalid {action} button argument: {problem}", nameof(argument));
        var id = $"{Version}:{TokenOf(action)}:{argument}";
        var bytes = Encoding.UTF8.GetByteCount(id);
        if (bytes > MaxBytes)
            throw new ArgumentException($"Button id is {bytes} bytes; at most {MaxBytes} fit Telegram callback data.", nameof(argument));
        return id;
    }

    /// <summary>Builds an id, or returns false when the argument cannot be carried (e.g. a hand name with spaces).</summary>
    public static bool TryEncode(ButtonAction action, string argument, [System.Diagnostics.CodeAnalysis.NotNullWhen(true)] out string? id)
    {
        id = null;
        if (argument is null || CheckArgument(action, argument) is not null) return false;
        var candidate = $"{Version}:{TokenOf(action)}:{argument}";
        if (Encoding.UTF8.GetByteCount(candidate) > MaxBytes) return false;
        id = candidate;
        return true;
    }

    /// <summary>Parses an id as sent back by a platform. Never throws.</summary>
    public static ButtonParseResult Parse(string? id)
    {
        if (string.IsNullOrEmpty(id)) return Malformed("empty id");
        if (Encoding.UTF8.GetByteCount(id) > MaxBytes) return Malformed("too long");

        var parts = id.Split(':', 3);
        var version = parts[0];
        if (!string.Equals(version, Version, StringComparison.Ordinal))
        {
            return IsHandsBotVersion(version)
                ? new(ButtonParseStatus.UnknownVersion, default, "", $"version {version}")
                : Malformed("not a HandsBot button");
        }
        if (parts.Length != 3) return Malformed("missing action or argument");

        var match = Tokens.Where(t => string.Equals(t.Token, parts[1], StringComparison.Ordinal)).ToList();
        if (match.Count == 0) return Malformed($"unknown action \"{parts[1]}\"");

        var action = match[0].Action;
        var argument = parts[2];
        return CheckArgument(action, argument) is { } problem
            ? Malformed(problem)
            : new(ButtonParseStatus.Ok, action, argument);
    }

    private static string TokenOf(ButtonAction action) =>
        Tokens.First(t => t.Action == action).Token;

    // "hb" followed by digits: a HandsBot id of some version.
    private static bool IsHandsBotVersion(string version) =>
        version.Length > VersionStem.Length
        && version.StartsWith(VersionStem, StringComparison.Ordinal)
        && version[VersionStem.Length..].All(char.IsAsciiDigit);

    private static string? CheckArgument(ButtonAction action, string argument)
    {
        if (argument.Length == 0) return "empty argument";
        if (action == ButtonAction.Page)
        {
            return int.TryParse(argument, NumberStyles.None, CultureInfo.InvariantCulture, out var page) && page >= 1
                ? null
                : "page must be a positive number";
        }
        // Hand names, references and id prefixes are plain tokens: no separators, spaces or control characters.
        return argument.All(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '_' or '.')
            ? null
            : "only letters, digits, '-', '_' and '.' are allowed";
    }

    private static ButtonParseResult Malformed(string problem) =>
        new(ButtonParseStatus.Malformed, default, "", problem);
}
