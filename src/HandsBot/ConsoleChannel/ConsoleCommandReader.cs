using HandsBot.Core.Chat;
using HandsBot.Core.Delivery;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using HandsBot.Core.Access;

namespace HandsBot.ConsoleChannel;

/// <summary>
/// Reads commands typed on stdin (/hands, /run oracle, /approve ab12 …) and prints the replies. The
/// console user is an admin. At end of input (stdin closed, as under a service manager) it stops
/// reading and the bot keeps running.
/// </summary>
internal sealed class ConsoleCommandReader(ConsoleIO io, IChatCommandService commands, ConsoleChannelAdapter channel, ILogger<ConsoleCommandReader> logger) : BackgroundService
{
    public static readonly ChatUser User = new("console", "local", "console");
    public static readonly ChatPlace Place = new("console", DeliveryRouter.Console, null, IsPrivate: true);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        await Task.Yield();
        string? lateReason;
        try
        {
            // On standby, nothing is read until every platform channel failed and the console came on.
            lateReason = await channel.Activated.WaitAsync(stoppingToken).ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
            return;
        }
        io.WriteBlock(lateReason is null
            ? "HandsBot is running. Type /help for commands."
            : $"HandsBot is running; the console is on because {lateReason}. Type /help for commands.");
        while (!stoppingToken.IsCancellationRequested)
        {
            string? line;
            try
            {
                line = await io.In.ReadLineAsync(stoppingToken).ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
                break;
            }
            if (line is null)
            {
                logger.LogInformation("Console input closed; commands are no longer read from stdin");
                break;
            }
            line = line.Trim();
            if (line.Length == 0) continue;
            await HandleLineAsync(line, stoppingToken).ConfigureAwait(false);
        }
    }

    internal async Task HandleLineAsync(string line, CancellationToken ct)
    {
        if (!line.StartsWith('/'))
        {
            io.WriteBlock("Commands start with /. Type /help for the list.");
            return;
        }
        var words = line[1..].Split(' ', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        if (words.Length == 0) return;
        var command = new ChatCommand(User, Place, words[0].ToLowerInvariant(), words[1..]);
        ChatReply reply;
        try
        {
            reply = await commands.HandleCommandAsync(command, ct).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            logger.LogError(ex, "Command {Command} failed", command.Name);
            reply = new ChatReply { Markdown = "Something went wrong handling that command; see the log." };
        }
        var part = channel.Render(new OutgoingContent { Text = reply.Markdown, Buttons = reply.Buttons })[0];
        await channel.SendAsync(Place.Target, part, "", ct).ConfigureAwait(false);
    }
}
