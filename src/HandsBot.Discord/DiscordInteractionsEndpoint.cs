using System.Text.Json;
using HandsBot.Discord.Interactions;
using HandsBot.Discord.Rest;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.Hosting;

namespace HandsBot.Discord;

/// <summary>The HTTP interactions endpoint (Discord's "Interactions Endpoint URL" mode).</summary>
public static class DiscordInteractionsEndpoint
{
    public const string Path = "/discord/interactions";
    private const int MaxBodyBytes = 1 << 20;
    private static readonly TimeSpan FirstResponseWait = TimeSpan.FromSeconds(5);

    /// <summary>
    /// Maps POST <see cref="Path"/>: verifies the Ed25519 signature (401 when it fails), answers PING
    /// with PONG, and answers the rest in the HTTP response (deferred with a follow-up when slow).
    /// </summary>
    public static IEndpointRouteBuilder MapDiscordInteractions(this IEndpointRouteBuilder app)
    {
        ArgumentNullException.ThrowIfNull(app);
        app.MapPost(Path, HandleAsync);
        return app;
    }

    private static async Task<IResult> HandleAsync(HttpContext context, DiscordSignatureVerifier verifier, DiscordInteractionHandler handler, IHostApplicationLifetime lifetime)
    {
        var request = context.Request;
        if (request.ContentLength > MaxBodyBytes) return Results.StatusCode(StatusCodes.Status413PayloadTooLarge);
        using var buffer = new MemoryStream();
        await request.Body.CopyToAsync(buffer, context.RequestAborted).ConfigureAwait(false);
        var body = buffer.GetBuffer().AsMemory(0, (int)buffer.Length);
        if (!verifier.Verify(request.Headers["X-Signature-Ed25519"], request.Headers["X-Signature-Timestamp"], body.Span))
        {
            return Results.Text("invalid request signature", statusCode: StatusCodes.Status401Unauthorized);
        }

        Interaction? interaction;
        try
        {
            interaction = JsonSerializer.Deserialize(body.Span, DiscordJsonContext.Default.Interaction);
        }
        catch (JsonException)
        {
            return Results.BadRequest("invalid interaction body");
        }
        if (interaction is null) return Results.BadRequest("invalid interaction body");

        var first = new TaskCompletionSource<InteractionResponse>(TaskCreationOptions.RunContinuationsAsynchronously);
        var written = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        context.Response.OnCompleted(() =>
        {
            written.TrySetResult();
            return Task.CompletedTask;
        });
        async Task<bool> RespondAsync(InteractionResponse response, CancellationToken ct)
        {
            if (!first.TrySetResult(response)) return false;
            // Follow-ups and edits need Discord to have the first response: wait until it is written.
            await Task.WhenAny(written.Task, Task.Delay(FirstResponseWait, ct)).ConfigureAwait(false);
            return true;
        }
        // The handler outlives this request when it defers: it completes the answer with a follow-up.
        var handling = Task.Run(() => handler.HandleAsync(interaction, RespondAsync, lifetime.ApplicationStopping));
        _ = handling.ContinueWith(t => first.TrySetException(t.Exception?.InnerExceptions ?? [new InvalidOperationException("no response")]),
            CancellationToken.None, TaskContinuationOptions.OnlyOnFaulted, TaskScheduler.Default);
        var answer = await first.Task.WaitAsync(context.RequestAborted).ConfigureAwait(false);
        return Results.Json(answer, DiscordJsonContext.Default.InteractionResponse);
    }
}
