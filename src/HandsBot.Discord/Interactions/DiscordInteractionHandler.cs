using System.Collections.Concurrent;
using System.Text.Json;
using HandsBot.Core.Chat;
using HandsBot.Discord.Rest;
using HandsBot.Rendering;
using Microsoft.Extensions.Logging;
using HandsBot.Core.Access;

namespace HandsBot.Discord.Interactions;

/// <summary>
/// Turns Discord interactions into <see cref="ChatCommand"/>s and <see cref="ButtonTap"/>s and answers
/// them within Discord's 3-second rule: at once when the answer is ready, otherwise deferred and
/// completed by editing the original response. The same logic serves the gateway and the HTTP endpoint;
/// only the way the first response is delivered differs.
/// </summary>
public sealed partial class DiscordInteractionHandler(
    IChatCommandService commands,
    DiscordRestClient rest,
    TimeProvider time,
    ILogger<DiscordInteractionHandler> logger,
    InteractionSettings? settings = null)
{
    // Interaction tokens live 15 minutes: an id seen within that time is a replay (e.g. after a resume).
    private static readonly TimeSpan ReplayWindow = TimeSpan.FromMinutes(15);
    /// <summary>The most messages (response + follow-ups) one reply may become.</summary>
    public const int MaxMessagesPerReply = 10;
    private readonly InteractionSettings _settings = settings ?? new InteractionSettings();
    private readonly ConcurrentDictionary<string, DateTimeOffset> _seen = new();

    /// <summary>Delivers the first response to Discord; returns false when Discord did not take it.</summary>
    public delegate Task<bool> Respond(InteractionResponse response, CancellationToken ct);

    /// <summary>Handles an interaction received over the gateway: the first response goes to the callback endpoint.</summary>
    public Task HandleGatewayAsync(Interaction interaction, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(interaction);
        return HandleAsync(interaction, (response, token) => CallbackAsync(interaction, response, token), ct);
    }

    /// <summary>Handles one interaction, giving the first response to <paramref name="respond"/> within the deadline.</summary>
    public async Task HandleAsync(Interaction interaction, Respond respond, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(interaction);
        ArgumentNullException.ThrowIfNull(respond);
        if (interaction.Type == InteractionTypes.Ping)
        {
            await respond(new InteractionResponse { Type = InteractionTypes.Pong }, ct).ConfigureAwait(false);
            return;
        }
        if (!FirstSighting(interaction.Id))
        {
            LogReplay(logger, interaction.Id);
            return;
        }
        var work = AnswerAsync(interaction, ct);
        if (interaction.Type == InteractionTypes.Autocomplete)
        {
            // Autocomplete cannot be deferred; an answer too late is simply dropped by Discord.
            await respond((await work.ConfigureAwait(false)).First, ct).ConfigureAwait(false);
            return;
        }

        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(ct);
        var timer = Task.Delay(_settings.AckDeadline, time, deadline.Token);
        if (await Task.WhenAny(work, timer).ConfigureAwait(false) == work)
        {
            await deadline.CancelAsync().ConfigureAwait(false);
            var answer = await work.ConfigureAwait(false);
            if (await respond(answer.First, ct).ConfigureAwait(false))
            {
                await FollowUpsAsync(interaction, answer.FollowUps, ct).ConfigureAwait(false);
            }
            return;
        }

        var deferType = interaction.Type == InteractionTypes.MessageComponent ? InteractionTypes.DeferredUpdateMessage : InteractionTypes.DeferredChannelMessage;
        LogDeferred(logger, interaction.Id, deferType);
        var deferred = await respond(new InteractionResponse { Type = deferType }, ct).ConfigureAwait(false);
        var late = await work.ConfigureAwait(false);
        if (!deferred) return;
        await CompleteDeferredAsync(interaction, late, ct).ConfigureAwait(false);
    }

    private bool FirstSighting(string id)
    {
        var now = time.GetUtcNow();
        if (_seen.Count > 1000)
        {
            foreach (var (key, at) in _seen)
            {
                if (now - at > ReplayWindow) _seen.TryRemove(key, out _);
            }
        }
        return _seen.TryAdd(id, now);
    }

    private async Task CompleteDeferredAsync(Interaction interaction, Answer answer, CancellationToken ct)
    {
        var data = answer.First.Data ?? new InteractionCallbackData { Content = "Done." };
        var isPrivate = ((data.Flags ?? 0) & DiscordLimits.EphemeralFlag) != 0;
        var original = $"webhooks/{interaction.ApplicationId}/{interaction.Token}/messages/@original";
        var followUps = answer.FollowUps;
        if (answer.First.Type == InteractionTypes.UpdateMessage || (!isPrivate && interaction.Type != InteractionTypes.MessageComponent))
        {
            // Edits the tapped message (deferred update) or fills in the "thinking…" message.
            await rest.SendJsonAsync(HttpMethod.Patch, original, WithoutFlags(data), DiscordJsonContext.Default.InteractionCallbackData, ct).ConfigureAwait(false);
        }
        else
        {
            // A private answer after a public deferral: an ephemeral follow-up, then the placeholder goes.
            followUps = [data, .. followUps];
            if (interaction.Type != InteractionTypes.MessageComponent)
            {
                await FollowUpsAsync(interaction, followUps, ct).ConfigureAwait(false);
                await rest.SendAsync(HttpMethod.Delete, original, null, ct).ConfigureAwait(false);
                return;
            }
        }
        await FollowUpsAsync(interaction, followUps, ct).ConfigureAwait(false);
    }

    private async Task FollowUpsAsync(Interaction interaction, IReadOnlyList<InteractionCallbackData> followUps, CancellationToken ct)
    {
        foreach (var data in followUps)
        {
            var response = await rest.SendJsonAsync(HttpMethod.Post, $"webhooks/{interaction.ApplicationId}/{interaction.Token}", data,
                DiscordJsonContext.Default.InteractionCallbackData, ct).ConfigureAwait(false);
            if (!response.IsSuccess) LogFollowUpFailed(logger, interaction.Id, response.Describe());
        }
    }

    private async Task<bool> CallbackAsync(Interaction interaction, InteractionResponse response, CancellationToken ct)
    {
        var result = await rest.SendJsonAsync(HttpMethod.Post, $"interactions/{interaction.Id}/{interaction.Token}/callback", response,
            DiscordJsonContext.Default.InteractionResponse, ct).ConfigureAwait(false);
        if (result.IsSuccess) return true;
        // 40060: already acknowledged (e.g. a replayed dispatch after resume); another answer went out.
        if (result.ErrorCode == 40060) LogAlreadyAcknowledged(logger, interaction.Id);
        else LogCallbackFailed(logger, interaction.Id, result.Describe());
        return false;
    }

    private async Task<Answer> AnswerAsync(Interaction interaction, CancellationToken ct)
    {
        // Yield so a quick synchronous service still lets the caller start its deadline first.
        await Task.Yield();
        try
        {
            return interaction.Type switch
            {
                InteractionTypes.ApplicationCommand => await CommandAsync(interaction, ct).ConfigureAwait(false),
                InteractionTypes.MessageComponent => await ButtonAsync(interaction, ct).ConfigureAwait(false),
                InteractionTypes.Autocomplete => await AutocompleteAsync(interaction, ct).ConfigureAwait(false),
                _ => Private("This kind of interaction is not supported."),
            };
        }
        catch (Exception ex) when (ex is not OperationCanceledException || !ct.IsCancellationRequested)
        {
            LogHandlerFailed(logger, ex, interaction.Id);
            return Private("Something went wrong handling that; the error was logged.");
        }
    }

    private async Task<Answer> CommandAsync(Interaction interaction, CancellationToken ct)
    {
        var options = interaction.Data?.Options ?? [];
        var args = new List<string>();
        if (options.FirstOrDefault(o => o.Name == "hand") is { } hand) args.Add(Value(hand));
        foreach (var option in options.Where(o => o.Name != "hand"))
        {
            args.AddRange(Value(option).Split(' ', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries));
        }
        var command = new ChatCommand(User(interaction), Place(interaction), interaction.Data?.Name ?? "", args);
        var reply = await commands.HandleCommandAsync(command, ct).ConfigureAwait(false);
        // Help is for the asker only; it would clutter the channel.
        if (command.Name == "help") reply = reply with { Private = true };
        return Message(reply, InteractionTypes.ChannelMessage);
    }

    private async Task<Answer> ButtonAsync(Interaction interaction, CancellationToken ct)
    {
        var tap = new ButtonTap(User(interaction), Place(interaction), interaction.Data?.CustomId ?? "", interaction.Message?.Id);
        var reply = await commands.HandleButtonAsync(tap, ct).ConfigureAwait(false);
        if (reply.IsRefusal || reply.UpdatedMessage is null)
        {
            // Nothing changes on the message; only the tapper is told.
            return Private(reply.PrivateReply?.Markdown ?? reply.Toast);
        }
        var update = Message(reply.UpdatedMessage with { Private = false }, InteractionTypes.UpdateMessage);
        var extra = reply.PrivateReply is null ? [] : Message(reply.PrivateReply with { Private = true }, InteractionTypes.ChannelMessage).AllData();
        return update with { FollowUps = [.. update.FollowUps, .. extra] };
    }

    private async Task<Answer> AutocompleteAsync(Interaction interaction, CancellationToken ct)
    {
        var focused = interaction.Data?.Options?.FirstOrDefault(o => o.Focused == true);
        var names = await commands.CompleteHandNamesAsync(focused is null ? "" : Value(focused), DiscordLimits.AutocompleteChoices, ct).ConfigureAwait(false);
        var choices = names
            .Where(n => n.Length is > 0 and <= DiscordLimits.ChoiceLength)
            .Distinct(StringComparer.Ordinal)
            .Take(DiscordLimits.AutocompleteChoices)
            .Select(n => new AutocompleteChoice(n, n))
            .ToList();
        return new Answer(new InteractionResponse { Type = InteractionTypes.AutocompleteResult, Data = new InteractionCallbackData { Choices = choices } }, []);
    }

    /// <summary>A reply as one response plus follow-ups when it renders to more than one message.</summary>
    private static Answer Message(ChatReply reply, int type)
    {
        var flags = reply.Private || reply.IsRefusal ? DiscordLimits.EphemeralFlag : (int?)null;
        var parts = ChatRenderer.Render(reply.Markdown, SourceFormat.Markdown, RenderTarget.DiscordMarkdown, new RenderOptions { MaxParts = int.MaxValue }).Parts;
        if (parts.Count == 0 || parts.All(string.IsNullOrWhiteSpace)) parts = ["(no content)"];
        if (parts.Count > MaxMessagesPerReply)
        {
            // A reply is meant to be read in the channel: past this many messages it is cut short.
            var note = $"\n… ({parts.Count - MaxMessagesPerReply + 1} more messages not shown)";
            parts = [.. parts.Take(MaxMessagesPerReply - 1), DiscordLimits.Fit(parts[MaxMessagesPerReply - 1], DiscordLimits.ContentLength - note.Length) + note];
        }
        // An updated message is a single message: only its first part fits.
        if (type == InteractionTypes.UpdateMessage) parts = [parts[0]];
        var data = parts.Select((p, i) => new InteractionCallbackData
        {
            Content = DiscordLimits.Fit(p),
            Flags = type == InteractionTypes.UpdateMessage ? null : flags,
            AllowedMentions = AllowedMentions.None,
            // Buttons go on the last message; an empty list on an update removes the old ones.
            Components = i == parts.Count - 1 ? DiscordLimits.Buttons(reply.Buttons) : (type == InteractionTypes.UpdateMessage ? [] : null),
        }).ToList();
        return new Answer(new InteractionResponse { Type = type, Data = data[0] }, data.Skip(1).ToList());
    }

    private static Answer Private(string text) => Message(new ChatReply { Markdown = text, Private = true }, InteractionTypes.ChannelMessage);

    private static InteractionCallbackData WithoutFlags(InteractionCallbackData data) => data with { Flags = null };

    private static string Value(InteractionOption option) => option.Value switch
    {
        { ValueKind: JsonValueKind.String } v => v.GetString() ?? "",
        { ValueKind: JsonValueKind.Number or JsonValueKind.True or JsonValueKind.False } v => v.GetRawText(),
        _ => "",
    };

    /// <summary>The platform-neutral caller: the member's user in a guild, the user in a DM.</summary>
    public static ChatUser User(Interaction interaction)
    {
        ArgumentNullException.ThrowIfNull(interaction);
        var user = interaction.Member?.User ?? interaction.User ?? new DiscordUser();
        var name = interaction.Member?.Nick ?? user.GlobalName ?? user.Username ?? user.Id;
        return new ChatUser("discord", user.Id, name, interaction.Member?.Roles ?? []);
    }

    public static ChatPlace Place(Interaction interaction)
    {
        ArgumentNullException.ThrowIfNull(interaction);
        return new ChatPlace("discord", interaction.ChannelId ?? "", null, IsPrivate: interaction.GuildId is null);
    }

    private sealed record Answer(InteractionResponse First, IReadOnlyList<InteractionCallbackData> FollowUps)
    {
        public IReadOnlyList<InteractionCallbackData> AllData() => [First.Data!, .. FollowUps];
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Interaction {InteractionId} was already handled; ignoring the replay")]
    private static partial void LogReplay(ILogger logger, string interactionId);

    [LoggerMessage(Level = LogLevel.Information, Message = "Interaction {InteractionId} deferred (type {DeferType}): the answer was not ready in time")]
    private static partial void LogDeferred(ILogger logger, string interactionId, int deferType);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Interaction {InteractionId} was already acknowledged (40060); skipping")]
    private static partial void LogAlreadyAcknowledged(ILogger logger, string interactionId);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Interaction {InteractionId} callback failed: {Reason}")]
    private static partial void LogCallbackFailed(ILogger logger, string interactionId, string reason);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Interaction {InteractionId} follow-up failed: {Reason}")]
    private static partial void LogFollowUpFailed(ILogger logger, string interactionId, string reason);

    [LoggerMessage(Level = LogLevel.Error, Message = "Handling interaction {InteractionId} failed")]
    private static partial void LogHandlerFailed(ILogger logger, Exception exception, string interactionId);
}
