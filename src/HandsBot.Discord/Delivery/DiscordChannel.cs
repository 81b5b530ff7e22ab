using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using HandsBot.Core.Configuration;
using HandsBot.Core.Delivery;
using HandsBot.Core.Model;
using HandsBot.Discord.Rest;
using HandsBot.Rendering;
using Microsoft.Extensions.Options;

namespace HandsBot.Discord.Delivery;

/// <summary>
/// Discord as an outbox destination: renders to Discord Markdown within 2000 characters, sends with
/// a nonce derived from the outbox key (enforce_nonce, so a retry never posts twice), never pings
/// anyone, and maps Discord's answers to delivered, transient or permanent.
/// </summary>
public sealed class DiscordChannel(DiscordRestClient rest, IOptions<OutputOptions>? output = null) : IChannel
{
    public string Platform => "discord";

    public ChannelTarget? DefaultTarget { get; init; }

    public IReadOnlyList<OutboundPart> Render(OutgoingContent content)
    {
        ArgumentNullException.ThrowIfNull(content);
        var rendered = ChatRenderer.Render(content.Text, ToSource(content.Format), RenderTarget.DiscordMarkdown, new RenderOptions
        {
            Title = content.Title,
            MaxParts = output?.Value.MaxParts ?? new OutputOptions().MaxParts,
            FileName = content.FileName ?? "output.md",
        });
        if (rendered.SentAsFile)
        {
            return [new OutboundPart
            {
                Kind = PartKind.File,
                Text = DiscordLimits.Fit(rendered.Parts[0]),
                PlainText = rendered.PlainParts.Count > 0 ? rendered.PlainParts[0] : null,
                FileName = rendered.FileName ?? content.FileName ?? "output.md",
                FileContent = rendered.FileContent,
                Buttons = content.Buttons,
            }];
        }
        var parts = new List<OutboundPart>(rendered.Parts.Count);
        for (var i = 0; i < rendered.Parts.Count; i++)
        {
            parts.Add(new OutboundPart
            {
                Text = DiscordLimits.Fit(rendered.Parts[i]),
                PlainText = i < rendered.PlainParts.Count ? rendered.PlainParts[i] : null,
                Buttons = i == rendered.Parts.Count - 1 ? content.Buttons : [],
            });
        }
        return parts;
    }

    public async Task<SendResult> SendAsync(ChannelTarget target, OutboundPart part, string idempotencyKey, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(target);
        ArgumentNullException.ThrowIfNull(part);
        var payload = new MessagePayload
        {
            Content = DiscordLimits.Fit(part.Text),
            Nonce = DiscordLimits.Nonce(idempotencyKey),
            EnforceNonce = true,
            Components = part.Buttons.Count > 0 ? DiscordLimits.Buttons(part.Buttons) : null,
            Attachments = part.Kind == PartKind.File ? [new AttachmentRef(0, FileName(part))] : null,
        };
        var path = $"channels/{ChannelId(target)}/messages";
        var response = part.Kind == PartKind.File
            ? await rest.SendAsync(HttpMethod.Post, path, () => Multipart(payload, part), ct).ConfigureAwait(false)
            : await rest.SendJsonAsync(HttpMethod.Post, path, payload, DiscordJsonContext.Default.MessagePayload, ct).ConfigureAwait(false);
        return ToResult(response);
    }

    public async Task<SendResult> EditAsync(ChannelTarget target, string messageId, OutboundPart part, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(target);
        ArgumentNullException.ThrowIfNull(part);
        var payload = new MessagePayload
        {
            Content = DiscordLimits.Fit(part.Text),
            // An empty list removes the buttons.
            Components = DiscordLimits.Buttons(part.Buttons),
        };
        var response = await rest.SendJsonAsync(HttpMethod.Patch, $"channels/{ChannelId(target)}/messages/{messageId}", payload,
            DiscordJsonContext.Default.MessagePayload, ct).ConfigureAwait(false);
        return response.IsSuccess ? SendResult.Delivered(messageId) : ToResult(response);
    }

    /// <summary>Maps a Discord answer to the outbox's three outcomes.</summary>
    public static SendResult ToResult(DiscordResponse response)
    {
        ArgumentNullException.ThrowIfNull(response);
        if (response.IsSuccess)
        {
            var message = JsonSerializer.Deserialize(response.Body, DiscordJsonContext.Default.MessageResponse);
            return SendResult.Delivered(message?.Id ?? "");
        }
        if (response.IsTransient) return SendResult.Transient(response.Describe(), response.RetryAfter);
        return response.StatusCode switch
        {
            401 => SendResult.Permanent("Discord rejected the bot token"),
            403 => SendResult.Permanent($"Discord denied access to the channel ({response.ErrorMessage ?? "Missing Access"}): check the bot's permissions there"),
            404 => SendResult.Permanent($"Discord does not know this channel or message ({response.ErrorMessage ?? "Unknown Channel"})"),
            _ => SendResult.Permanent(response.Describe()),
        };
    }

    // Discord threads are channels: a thread target posts to the thread's id.
    private static string ChannelId(ChannelTarget target) => string.IsNullOrEmpty(target.ThreadId) ? target.ChatId : target.ThreadId;

    private static string FileName(OutboundPart part) => string.IsNullOrWhiteSpace(part.FileName) ? "output.md" : part.FileName;

    private static MultipartFormDataContent Multipart(MessagePayload payload, OutboundPart part)
    {
        var form = new MultipartFormDataContent();
        var json = new StringContent(JsonSerializer.Serialize(payload, DiscordJsonContext.Default.MessagePayload), Encoding.UTF8, "application/json");
        form.Add(json, "payload_json");
        var file = new ByteArrayContent(Encoding.UTF8.GetBytes(part.FileContent ?? ""));
        file.Headers.ContentType = new MediaTypeHeaderValue("text/markdown");
        form.Add(file, "files[0]", FileName(part));
        return form;
    }

    private static SourceFormat ToSource(OutputFormat format) => format switch
    {
        OutputFormat.Json => SourceFormat.Json,
        OutputFormat.Html => SourceFormat.Html,
        OutputFormat.Text => SourceFormat.Text,
        _ => SourceFormat.Markdown,
    };
}
