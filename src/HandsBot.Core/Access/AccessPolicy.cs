using HandsBot.Core.Chat;
using HandsBot.Core.Configuration;
using HandsBot.Core.Delivery;
using HandsBot.Core.Model;
using Microsoft.Extensions.Options;

namespace HandsBot.Core.Access;

/// <summary>
/// Decides who may do what, where, from the [access] lists and the configured places
/// ([channels] routes and the platform defaults).
/// </summary>
/// <remarks>
/// Identities are "telegram:&lt;user id&gt;", "discord:&lt;user id&gt;", "discord-role:&lt;role id&gt;" and
/// "console:local". Admins may do everything everywhere. Operators may also run, pause, resume and approve,
/// and viewers may list; both only in configured places and in private chats with the bot, so output never
/// lands in a chat nobody configured. Anyone in a configured place may view.
/// </remarks>
public sealed class AccessPolicy
{
    /// <summary>The file a refusal tells the user to edit.</summary>
    public const string ConfigFile = "config/handsbot.toml";

    private const string DiscordRolePrefix = "discord-role:";

    private readonly HashSet<string> _admins;
    private readonly HashSet<string> _operators;
    private readonly HashSet<string> _viewers;
    private readonly HashSet<string> _telegramChats;
    private readonly HashSet<string> _discordChannels;

    /// <param name="access">The [access] lists.</param>
    /// <param name="channels">The [channels] routes.</param>
    /// <param name="platforms">The running channels; each one's default target is a configured place.</param>
    public AccessPolicy(IOptions<AccessOptions> access, IOptions<ChannelsOptions> channels, IEnumerable<IChannel> platforms)
    {
        ArgumentNullException.ThrowIfNull(access);
        ArgumentNullException.ThrowIfNull(channels);
        ArgumentNullException.ThrowIfNull(platforms);

        var a = access.Value;
        _admins = IdentitySet(a.Admins);
        _operators = IdentitySet(a.Operators);
        _viewers = IdentitySet(a.Viewers);

        _telegramChats = new(StringComparer.OrdinalIgnoreCase);
        _discordChannels = new(StringComparer.OrdinalIgnoreCase);
        foreach (var route in channels.Value.Routes.Values)
        {
            AddTelegramChat(route.Telegram);
            AddPlace(_discordChannels, route.Discord);
        }
        foreach (var target in platforms.Select(p => p.DefaultTarget).OfType<ChannelTarget>())
        {
            if (string.Equals(target.Platform, "telegram", StringComparison.OrdinalIgnoreCase)) AddTelegramChat(target.ChatId);
            else if (string.Equals(target.Platform, "discord", StringComparison.OrdinalIgnoreCase)) AddPlace(_discordChannels, target.ChatId);
        }

        ConfigurationProblems = [.. a.Admins.Concat(a.Operators).Concat(a.Viewers)
            .Where(e => !string.IsNullOrWhiteSpace(e) && !LooksLikeIdentity(e.Trim()))
            .Select(e => $"[access] entry \"{e.Trim()}\" is not an identity such as \"telegram:42\", \"discord:1234\" or \"discord-role:5678\"")];
    }

    /// <summary>True when no admins, operators or viewers are configured at all.</summary>
    public bool NothingConfigured => _admins.Count == 0 && _operators.Count == 0 && _viewers.Count == 0;

    /// <summary>[access] entries that cannot match anyone (typos such as "42" or "telgram:42").</summary>
    public IReadOnlyList<string> ConfigurationProblems { get; }

    /// <summary>The caller's highest role: admins over operators over viewers; Discord role ids count too.</summary>
    public Role RoleOf(ChatUser user)
    {
        ArgumentNullException.ThrowIfNull(user);
        var ids = IdentitiesOf(user).ToList();
        if (ids.Any(_admins.Contains)) return Role.Admin;
        if (ids.Any(_operators.Contains)) return Role.Operator;
        if (ids.Any(_viewers.Contains)) return Role.Viewer;
        return Role.None;
    }

    /// <summary>
    /// Whether <paramref name="user"/> may approve or reject at <paramref name="gate"/>: the gate's approvers
    /// only, when it names any; otherwise operators and admins.
    /// </summary>
    public bool CanDecide(ChatUser user, ApprovalGate? gate)
    {
        ArgumentNullException.ThrowIfNull(user);
        if (gate is { Approvers.Count: > 0 })
        {
            var approvers = IdentitySet(gate.Approvers);
            return IdentitiesOf(user).Any(approvers.Contains);
        }
        return RoleOf(user) >= Role.Operator;
    }

    /// <summary>
    /// Whether HandsBot was configured to speak in <paramref name="place"/>: a [channels] route's Telegram chat
    /// (the chat part of "chat:topic") or Discord channel, or the platform's default chat or channel.
    /// The local console always counts.
    /// </summary>
    public bool IsConfiguredPlace(ChatPlace place)
    {
        ArgumentNullException.ThrowIfNull(place);
        return place.Platform.ToUpperInvariant() switch
        {
            "TELEGRAM" => _telegramChats.Contains(place.ChatId),
            "DISCORD" => _discordChannels.Contains(place.ChatId),
            "CONSOLE" => true,
            _ => false,
        };
    }

    /// <summary>Decides whether <paramref name="user"/> may do something needing <paramref name="needed"/> in <paramref name="place"/>.</summary>
    public AccessDecision Authorize(ChatUser user, ChatPlace place, CommandPermission needed)
    {
        ArgumentNullException.ThrowIfNull(user);
        ArgumentNullException.ThrowIfNull(place);

        var role = RoleOf(user);
        if (role == Role.Admin) return AccessDecision.Allow;

        var configuredPlace = IsConfiguredPlace(place);
        var knownPrivate = place.IsPrivate && role >= Role.Viewer;
        var identity = Quote(user.Identity);

        switch (needed)
        {
            case CommandPermission.View:
                if (configuredPlace || knownPrivate) return AccessDecision.Allow;
                if (role >= Role.Viewer)
                    return AccessDecision.Deny("Not allowed here: this chat is not a configured HandsBot chat. Ask in a private chat with the bot, or add this chat to [channels] in " + ConfigFile + ".");
                return AccessDecision.Deny(NothingConfigured
                    ? $"Not allowed: no viewers are configured. Add {identity} to [access] viewers in {ConfigFile}."
                    : $"Not allowed: you ({identity}) are not in [access] viewers, operators or admins.");

            case CommandPermission.Operate:
                if (role >= Role.Operator)
                {
                    return configuredPlace || place.IsPrivate
                        ? AccessDecision.Allow
                        : AccessDecision.Deny("Not allowed here: this chat is not a configured HandsBot chat. Use a private chat with the bot or a configured chat.");
                }
                return AccessDecision.Deny(_operators.Count == 0 && _admins.Count == 0
                    ? $"Not allowed: no operators are configured. Add {identity} to [access] operators in {ConfigFile}."
                    : $"Not allowed: this needs the operator role and you ({identity}) are not in [access] operators.");

            case CommandPermission.Administer:
                return AccessDecision.Deny(_admins.Count == 0
                    ? $"Not allowed: no admins are configured. Add {identity} to [access] admins in {ConfigFile}."
                    : $"Not allowed: this needs the admin role and you ({identity}) are not in [access] admins.");

            default:
                throw new ArgumentOutOfRangeException(nameof(needed), needed, "Unknown permission.");
        }
    }

    /// <summary>Every identity string the user carries: their own, plus "discord-role:&lt;id&gt;" per Discord role.</summary>
    public static IEnumerable<string> IdentitiesOf(ChatUser user)
    {
        ArgumentNullException.ThrowIfNull(user);
        yield return user.Identity;
        if (user.RoleIds is null || !string.Equals(user.Platform, "discord", StringComparison.OrdinalIgnoreCase))
            yield break;
        foreach (var role in user.RoleIds)
        {
            if (!string.IsNullOrWhiteSpace(role)) yield return DiscordRolePrefix + role.Trim();
        }
    }

    private static string Quote(string s) => "\"" + s + "\"";

    private static HashSet<string> IdentitySet(IEnumerable<string> entries) =>
        new(entries.Where(e => !string.IsNullOrWhiteSpace(e)).Select(e => e.Trim()), StringComparer.OrdinalIgnoreCase);

    private static bool LooksLikeIdentity(string entry)
    {
        var colon = entry.IndexOf(':', StringComparison.Ordinal);
        if (colon <= 0 || colon == entry.Length - 1) return false;
        var platform = entry[..colon].ToUpperInvariant();
        return platform is "TELEGRAM" or "DISCORD" or "DISCORD-ROLE" or "CONSOLE";
    }

    private void AddTelegramChat(string? value)
    {
        if (string.IsNullOrWhiteSpace(value)) return;
        // "chat_id:topic_id" names a forum topic; the chat part identifies the place.
        var v = value.Trim();
        var colon = v.IndexOf(':', StringComparison.Ordinal);
        _telegramChats.Add(colon > 0 ? v[..colon] : v);
    }

    private static void AddPlace(HashSet<string> set, string? value)
    {
        if (!string.IsNullOrWhiteSpace(value)) set.Add(value.Trim());
    }
}
