using System.Security.Cryptography;
using System.Text;
using System.Text.RegularExpressions;
using HandsBot.Core.Chat;
using HandsBot.Core.Storage;
using HandsBot.Telegram.Receiving;
using Microsoft.Extensions.Logging;
using Telegram.Bot;
using Telegram.Bot.Types;

namespace HandsBot.Telegram.Hosting;

/// <summary>What both receiving modes do first: check the token (getMe) and publish the command list.</summary>
internal sealed partial class TelegramStartup(
    TelegramBot bot,
    IChatCommandService commands,
    ISettingsStore settings,
    TelegramAdapterOptions options,
    TimeProvider time,
    ILogger<TelegramStartup> logger)
{
    internal const string CommandsHashKey = "telegram:commands_hash";

    /// <summary>False when Telegram refused the token: the caller stops, the rest of the app keeps running.</summary>
    public async Task<bool> StartAsync(CancellationToken ct)
    {
        if (!await bot.ConnectAsync(options, time, ct).ConfigureAwait(false)) return false;
        await PublishCommandsAsync(ct).ConfigureAwait(false);
        return true;
    }

    /// <summary>Calls setMyCommands only when the list differs from the last one Telegram accepted.</summary>
    public async Task PublishCommandsAsync(CancellationToken ct)
    {
        var list = BotCommands();
        var hash = Hash(list);
        try
        {
            if (await settings.GetSettingAsync(CommandsHashKey, ct).ConfigureAwait(false) == hash)
            {
                logger.LogDebug("Telegram command list unchanged; setMyCommands skipped");
                return;
            }
            await bot.Client.SetMyCommands(list, cancellationToken: ct).ConfigureAwait(false);
            await settings.SetSettingAsync(CommandsHashKey, hash, ct).ConfigureAwait(false);
            logger.LogInformation("Telegram command list published ({Count} commands)", list.Count);
        }
        catch (Exception ex) when (!ct.IsCancellationRequested)
        {
            // Not fatal: commands still work when typed; the next start tries again.
            logger.LogWarning("Telegram setMyCommands failed: {Error}", bot.Describe(ex));
        }
    }

    private List<BotCommand> BotCommands()
    {
        var list = new List<BotCommand>();
        foreach (var info in commands.Commands)
        {
            var name = info.Name.TrimStart('/').ToLowerInvariant();
            if (!CommandName().IsMatch(name))
            {
                logger.LogWarning("Command /{Command} cannot be listed in Telegram (names are 1-32 of a-z, 0-9, _)", name);
                continue;
            }
            list.Add(new BotCommand { Command = name, Description = Describe(info.Description, name) });
        }
        if (!list.Any(c => c.Command == TelegramUpdateHandler.ChatIdCommand))
        {
            list.Add(new BotCommand { Command = TelegramUpdateHandler.ChatIdCommand, Description = "Show this chat's (and topic's) id for [channels]" });
        }
        return list;
    }

    private static string Describe(string description, string name)
    {
        var text = string.IsNullOrWhiteSpace(description) ? "/" + name : description.Trim();
        return text.Length <= 256 ? text : text[..255] + "…";
    }

    private static string Hash(List<BotCommand> list)
    {
        var text = string.Join("\n", list.Select(c => c.Command + "\t" + c.Description));
        return Convert.ToHexString(SHA256.HashData(Encoding.UTF8.GetBytes(text)));
    }

    [GeneratedRegex("^[a-z0-9_]{1,32}$")]
    private static partial Regex CommandName();
}
