using System.Globalization;
using HandsBot.Core.Access;
using HandsBot.Core.Configuration;
using HandsBot.Core.Delivery;
using HandsBot.Core.Engine;
using HandsBot.Core.Storage;
using HandsBot.Core.Util;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using HandsBot.Core.Buttons;
using HandsBot.Core.Text;

namespace HandsBot.Core.Chat;

/// <summary>
/// The platform-neutral command set. Every command and button tap is authorised first and written to the
/// audit log (allowed or not); any failure becomes a polite one-line answer, never a stack trace.
/// </summary>
public sealed partial class ChatCommandService : IChatCommandService
{
    /// <summary>Hands per /hands page: 8 hands × 2 buttons in rows of two hands, plus a navigation row, fit Discord's 5 rows.</summary>
    public const int HandsPerPage = 8;
    public const int DefaultHistory = 10;
    public const int MaxHistory = 50;

    private const int MaxAuditActionLength = 200;
    private const int MaxToastLength = 190;

    private readonly IHandsEngine _engine;
    private readonly AccessPolicy _access;
    private readonly IAuditStore _audit;
    private readonly TimeProvider _time;
    private readonly ILogger<ChatCommandService> _logger;
    private readonly OutputOptions _output;

    public ChatCommandService(IHandsEngine engine, AccessPolicy access, IAuditStore audit, TimeProvider time,
                              ILogger<ChatCommandService> logger, IOptions<OutputOptions> output)
    {
        ArgumentNullException.ThrowIfNull(output);
        _engine = engine ?? throw new ArgumentNullException(nameof(engine));
        _access = access ?? throw new ArgumentNullException(nameof(access));
        _audit = audit ?? throw new ArgumentNullException(nameof(audit));
        _time = time ?? throw new ArgumentNullException(nameof(time));
        _logger = logger ?? throw new ArgumentNullException(nameof(logger));
        _output = output.Value;
    }

    public IReadOnlyList<CommandInfo> Commands => CommandCatalog.Infos;

    public async Task<ChatReply> HandleCommandAsync(ChatCommand command, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(command);
        var name = NormaliseName(command.Name);
        var action = Cap(string.Join(' ', new[] { "/" + name }.Concat(command.Args)), MaxAuditActionLength);
        try
        {
            var spec = CommandCatalog.Find(name);
            if (spec is null)
            {
                await AuditAsync(command.User, command.Place, action, false, "unknown command", ct).ConfigureAwait(false);
                return Refusal($"Unknown command {Md.Code("/" + Cap(name, 40))}. Send /help for the commands you may use.");
            }

            // approve/reject are authorised against the approval's gate, once it is known.
            if (name is not ("approve" or "reject"))
            {
                var refusal = await AuthorizeAsync(command.User, command.Place, action, spec.Needs, ct).ConfigureAwait(false);
                if (refusal is not null) return refusal;
            }

            return name switch
            {
                "hands" => await HandsCommandAsync(command, ct).ConfigureAwait(false),
                "run" => await RunCommandAsync(command, ct).ConfigureAwait(false),
                "pause" => await PauseOrResumeCommandAsync(command, pause: true, ct).ConfigureAwait(false),
                "resume" => await PauseOrResumeCommandAsync(command, pause: false, ct).ConfigureAwait(false),
                "status" => await StatusCommandAsync(command, ct).ConfigureAwait(false),
                "history" => await HistoryCommandAsync(command, ct).ConfigureAwait(false),
                "output" => await OutputCommandAsync(command, ct).ConfigureAwait(false),
                "approvals" => await ApprovalsCommandAsync(command, ct).ConfigureAwait(false),
                "approve" => await DecideCommandAsync(command, action, approve: true, ct).ConfigureAwait(false),
                "reject" => await DecideCommandAsync(command, action, approve: false, ct).ConfigureAwait(false),
                _ => HelpCommand(command),
            };
        }
        catch (OperationCanceledException) when (ct.IsCancellationRequested)
        {
            throw;
        }
        catch (Exception ex)
        {
            LogCommandFailed(ex, name, command.User.Identity);
            return Refusal($"Something went wrong while handling /{Cap(name, 40)}. It has been logged; please try again.");
        }
    }

    public async Task<ButtonReply> HandleButtonAsync(ButtonTap tap, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(tap);
        var action = Cap("button " + tap.ButtonId, MaxAuditActionLength);
        try
        {
            return await HandleParsedButtonAsync(tap, ButtonCodec.Parse(tap.ButtonId), action, ct).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (ct.IsCancellationRequested)
        {
            throw;
        }
        catch (Exception ex)
        {
            LogButtonFailed(ex, tap.User.Identity);
            return new ButtonReply
            {
                Toast = "Something went wrong",
                PrivateReply = Refusal("Something went wrong while handling that button. It has been logged; please try again."),
                IsRefusal = true,
            };
        }
    }

    public async Task<IReadOnlyList<string>> CompleteHandNamesAsync(string prefix, int max, CancellationToken ct = default)
    {
        if (max <= 0) return [];
        var typed = (prefix ?? "").Trim();
        var names = (await _engine.ListHandsAsync(ct).ConfigureAwait(false)).Select(h => h.Name).ToList();
        var starts = names.Where(n => n.StartsWith(typed, StringComparison.OrdinalIgnoreCase))
                          .OrderBy(n => n, StringComparer.OrdinalIgnoreCase);
        var contains = names.Where(n => !n.StartsWith(typed, StringComparison.OrdinalIgnoreCase)
                                        && n.Contains(typed, StringComparison.OrdinalIgnoreCase))
                            .OrderBy(n => n, StringComparer.OrdinalIgnoreCase);
        return [.. starts.Concat(contains).Take(max)];
    }

    /// <summary>Checks <paramref name="needed"/> (null = anyone) and records the attempt; returns the refusal, or null when allowed.</summary>
    private async Task<ChatReply?> AuthorizeAsync(ChatUser user, ChatPlace place, string action, CommandPermission? needed, CancellationToken ct)
    {
        var decision = needed is { } permission ? _access.Authorize(user, place, permission) : AccessDecision.Allow;
        await AuditAsync(user, place, action, decision.Allowed, decision.Reason, ct).ConfigureAwait(false);
        if (decision.Allowed) return null;
        LogRefused(user.Identity, action, place.Target.ToString());
        return Refusal(decision.Reason ?? "Not allowed.");
    }

    private Task AuditAsync(ChatUser user, ChatPlace place, string action, bool allowed, string? detail, CancellationToken ct) =>
        _audit.AppendAuditAsync(new AuditEntry(_time.GetUtcNow(), user.Identity, action, place.Target.ToString(), allowed, detail), ct);

    private DateTimeOffset Now => _time.GetUtcNow();

    private static ChatReply Reply(string markdown, IReadOnlyList<IReadOnlyList<ChatButton>>? buttons = null, bool isPrivate = false) =>
        new() { Markdown = markdown, Buttons = buttons ?? [], Private = isPrivate };

    /// <summary>A refusal or bad-input answer: only the caller sees it.</summary>
    private static ChatReply Refusal(string markdown) => new() { Markdown = markdown, Private = true, IsRefusal = true };

    private static string NormaliseName(string name)
    {
        var n = (name ?? "").Trim().TrimStart('/');
        var at = n.IndexOf('@', StringComparison.Ordinal); // "/run@HandsBot" in Telegram groups
        if (at >= 0) n = n[..at];
        return n.ToLowerInvariant();
    }

    private static string Cap(string text, int max) => text.Length <= max ? text : text[..(max - 1)] + "…";

    private static string Toast(string text) => Cap(text, MaxToastLength);


    private static string Plural(long n, string one, string many) =>
        n.ToString(CultureInfo.InvariantCulture) + " " + (n == 1 ? one : many);

    [LoggerMessage(Level = LogLevel.Error, Message = "Chat command /{Command} from {Identity} failed")]
    private partial void LogCommandFailed(Exception ex, string command, string identity);

    [LoggerMessage(Level = LogLevel.Error, Message = "Button tap from {Identity} failed")]
    private partial void LogButtonFailed(Exception ex, string identity);

    [LoggerMessage(Level = LogLevel.Information, Message = "Refused {Action} for {Identity} in {Place}")]
    private partial void LogRefused(string identity, string action, string place);
}
