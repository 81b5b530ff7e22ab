using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using System.Text.RegularExpressions;
using HandsBot.Core.Chat;
using HandsBot.Core.Configuration;
using HandsBot.Core.Storage;
using HandsBot.Discord.Rest;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace HandsBot.Discord.Interactions;

/// <summary>
/// Registers HandsBot's slash commands by bulk overwrite, only when their definition (or the target
/// application/guild) changed since the last successful registration, so restarts cost no requests.
/// </summary>
public sealed partial class DiscordCommandRegistrar(
    IChatCommandService commands,
    DiscordRestClient rest,
    ISettingsStore settings,
    IOptions<DiscordOptions> options,
    ILogger<DiscordCommandRegistrar> logger)
{
    public const string HashSettingKey = "discord.commands.hash";
    // SEND_MESSAGES: members who may talk in a channel see the commands; HandsBot's [access] decides the rest.
    private const string DefaultMemberPermissions = "2048";

    /// <summary>Registers when needed; returns true when a PUT was sent and accepted.</summary>
    public async Task<bool> RegisterAsync(CancellationToken ct)
    {
        var o = options.Value;
        if (string.IsNullOrWhiteSpace(o.ApplicationId))
        {
            throw new InvalidOperationException("[discord] application_id is required to register slash commands");
        }
        var path = string.IsNullOrWhiteSpace(o.GuildId)
            ? $"applications/{o.ApplicationId}/commands"
            : $"applications/{o.ApplicationId}/guilds/{o.GuildId}/commands";
        var definitions = Build(commands.Commands);
        var json = JsonSerializer.Serialize(definitions, DiscordJsonContext.Default.ListApplicationCommand);
        var hash = Convert.ToHexString(SHA256.HashData(Encoding.UTF8.GetBytes(path + "\n" + json)));
        if (await settings.GetSettingAsync(HashSettingKey, ct).ConfigureAwait(false) == hash)
        {
            LogUnchanged(logger, definitions.Count);
            return false;
        }
        var response = await rest.SendAsync(HttpMethod.Put, path, () => new StringContent(json, Encoding.UTF8, "application/json"), ct).ConfigureAwait(false);
        response.EnsureSuccess("Registering Discord slash commands");
        await settings.SetSettingAsync(HashSettingKey, hash, ct).ConfigureAwait(false);
        LogRegistered(logger, definitions.Count, string.IsNullOrWhiteSpace(o.GuildId) ? "global" : $"guild {o.GuildId}");
        return true;
    }

    /// <summary>Discord command definitions for the platform-neutral command set.</summary>
    public static List<ApplicationCommand> Build(IReadOnlyList<CommandInfo> commands)
    {
        ArgumentNullException.ThrowIfNull(commands);
        var result = new List<ApplicationCommand>();
        foreach (var command in commands)
        {
            var name = CommandName(command.Name);
            if (name.Length == 0 || result.Any(c => c.Name == name)) continue;
            var (handRequired, rest, restRequired) = ParseUsage(command);
            var options = new List<CommandOption>();
            if (command.TakesHand)
            {
                options.Add(new CommandOption { Name = "hand", Description = "Hand name", Required = handRequired, Autocomplete = true });
            }
            if (rest.Length > 0)
            {
                // Discord wants required options first: an optional hand makes the rest optional too.
                options.Add(new CommandOption
                {
                    Name = "args",
                    Description = DiscordLimits.Fit(rest, 100),
                    Required = restRequired && (!command.TakesHand || handRequired),
                });
            }
            result.Add(new ApplicationCommand
            {
                Name = name,
                Description = DiscordLimits.Fit(string.IsNullOrWhiteSpace(command.Description) ? name : command.Description, 100),
                Options = options.Count > 0 ? options : null,
                DefaultMemberPermissions = DefaultMemberPermissions,
                Contexts = [0, 1],
                IntegrationTypes = [0],
            });
        }
        return result;
    }

    /// <summary>Splits "/history &lt;hand&gt; [count]" into the hand part and the remaining arguments.</summary>
    private static (bool HandRequired, string Remaining, bool RemainingRequired) ParseUsage(CommandInfo command)
    {
        var tokens = command.Usage.Split(' ', StringSplitOptions.RemoveEmptyEntries).ToList();
        if (tokens.Count > 0 && tokens[0].TrimStart('/').Equals(command.Name.TrimStart('/'), StringComparison.OrdinalIgnoreCase)) tokens.RemoveAt(0);
        var handRequired = true;
        if (command.TakesHand && tokens.Count > 0 && tokens[0].Contains("hand", StringComparison.OrdinalIgnoreCase))
        {
            handRequired = tokens[0].StartsWith('<');
            tokens.RemoveAt(0);
        }
        var rest = string.Join(' ', tokens);
        return (handRequired, rest, tokens.Any(t => t.StartsWith('<')));
    }

    private static string CommandName(string name) => InvalidNameChars().Replace(name.TrimStart('/').ToLowerInvariant(), "") is var n && n.Length > 32 ? n[..32] : n;

    [GeneratedRegex(@"[^-_\p{Ll}\p{N}]")]
    private static partial Regex InvalidNameChars();

    [LoggerMessage(Level = LogLevel.Information, Message = "Discord slash commands unchanged ({Count}); not re-registered")]
    private static partial void LogUnchanged(ILogger logger, int count);

    [LoggerMessage(Level = LogLevel.Information, Message = "Registered {Count} Discord slash commands ({Scope})")]
    private static partial void LogRegistered(ILogger logger, int count, string scope);
}
