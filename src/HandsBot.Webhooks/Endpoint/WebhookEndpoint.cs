using System.Globalization;
using HandsBot.Core.Engine;
using HandsBot.Core.Model;
using HandsBot.Core.Registry;
using HandsBot.Core.Storage;
using HandsBot.Webhooks.Audit;
using HandsBot.Webhooks.Limits;
using HandsBot.Webhooks.Verification;
using Microsoft.AspNetCore.Http;

namespace HandsBot.Webhooks.Endpoint;

/// <summary>
/// <c>POST /hooks/&lt;hand&gt;</c>. In order, each step as cheap as it can be before the next costs more:
/// a query string is refused (secrets never travel in URLs); an unknown hand or one that takes no webhooks
/// is 404, an invalid one 409; the hook's token bucket (429 with Retry-After); the body, read up to
/// [webhook] max_body (413); the signature (401, nothing more said); a disabled or paused hand (409); then
/// the run request is stored with its delivery id in one transaction and the caller gets 202 with the run
/// id. Every call is audited (<see cref="WebhookAudit"/>).
/// </summary>
internal sealed class WebhookEndpoint(HandRegistry registry, IHandsEngine engine, HookRateLimiter limiter, WebhookAudit audit, TimeProvider time)
{
    public const string Route = "/hooks/{hand}";
    private const int MaxContentType = 200;

    public async Task<IResult> HandleAsync(HttpContext context, string hand)
    {
        var request = context.Request;
        var source = context.Connection.RemoteIpAddress?.ToString() ?? "unknown";
        var name = Printable(hand);

        if (request.QueryString.HasValue)
        {
            return Refuse(new HookCall(name, source, null, StatusCodes.Status400BadRequest, "query string", false), registry.Find(hand) is not null,
                "query_string", "this endpoint takes no query string: secrets and tokens never go in a URL (use the scheme's headers)");
        }

        var definition = registry.Find(hand);
        if (definition is null)
        {
            return Refuse(new HookCall(name, source, null, StatusCodes.Status404NotFound, "unknown hook", false), false,
                "unknown_hook", $"no hand is named '{name}'");
        }
        name = definition.Name;
        if (definition.Manifest is { } declared && declared.Trigger != TriggerKind.Webhook)
        {
            return Refuse(new HookCall(name, source, null, StatusCodes.Status404NotFound, "not a webhook hand", false), true,
                "not_a_webhook", $"the hand '{name}' does not take webhook calls (its trigger is '{declared.Trigger.ToString().ToLowerInvariant()}')");
        }
        if (!definition.IsValid || definition.Manifest?.Webhook is not { } spec)
        {
            return Refuse(new HookCall(name, source, null, StatusCodes.Status409Conflict, "invalid hand", false), true,
                "invalid", $"the hand '{name}' has errors in its HAND.toml; `handsbot validate` shows them");
        }

        if (!limiter.TryTake(name, spec, out var retryAfter))
        {
            context.Response.Headers.RetryAfter = Math.Max(1, (int)Math.Ceiling(retryAfter.TotalSeconds)).ToString(CultureInfo.InvariantCulture);
            return Refuse(new HookCall(name, source, null, StatusCodes.Status429TooManyRequests, "rate limited", false), true,
                "rate_limited", $"too many calls to this hook: it takes {spec.RatePerMinute} a minute (bursts of {spec.Burst}); try again after Retry-After");
        }

        var body = await BodyReader.ReadAsync(context, spec.MaxBody, context.RequestAborted).ConfigureAwait(false);
        if (body is null)
        {
            return Refuse(new HookCall(name, source, null, StatusCodes.Status413PayloadTooLarge, "body too large", false), true,
                "too_large", $"the body is larger than this hook's max_body ({spec.MaxBody} bytes)");
        }

        var secrets = HookSecrets.Read(spec);
        if (secrets.Count == 0)
        {
            context.Response.Headers.RetryAfter = "60";
            return Refuse(new HookCall(name, source, null, StatusCodes.Status503ServiceUnavailable, "secret not set", false), true,
                "not_configured", "this hook's secret is not set on the server yet");
        }
        var verdict = SignatureCheck.Verify(spec, request.Headers, body, secrets, time.GetUtcNow());
        if (verdict != SignatureVerdict.Valid)
        {
            // Wrong, missing, malformed or stale: the caller learns nothing about which (the audit log says).
            audit.Refused(new HookCall(name, source, null, StatusCodes.Status401Unauthorized, "signature " + verdict.ToString().ToLowerInvariant(), false), true);
            return Results.StatusCode(StatusCodes.Status401Unauthorized);
        }

        var deliveryId = DeliveryIds.From(spec, request.Headers, out var badId);
        if (badId)
        {
            return Refuse(new HookCall(name, source, null, StatusCodes.Status400BadRequest, "bad delivery id", false), true,
                "bad_delivery_id", $"a delivery id (Idempotency-Key) is 1 to {DeliveryIds.MaxLength} visible ASCII characters");
        }

        var contentType = request.ContentType is { Length: > 0 and <= MaxContentType } type ? type : "application/octet-stream";
        TriggerResult result;
        try
        {
            result = await engine.TriggerAsync(name, new RunRequest(RunTrigger.Webhook, "webhook:" + source)
            {
                DeliveryId = deliveryId,
                Payload = body,
                PayloadType = contentType,
            }, context.RequestAborted).ConfigureAwait(false);
        }
        catch (StoreUnavailableException)
        {
            context.Response.Headers.RetryAfter = "5";
            return Refuse(new HookCall(name, source, deliveryId, StatusCodes.Status503ServiceUnavailable, "store unavailable", false), true,
                "unavailable", "the run could not be stored just now; nothing was started, try again");
        }

        switch (result.Status)
        {
            case TriggerStatus.Started or TriggerStatus.Queued or TriggerStatus.Skipped or TriggerStatus.Duplicate:
                var status = result.Status.ToString().ToLowerInvariant();
                audit.Accepted(new HookCall(name, source, deliveryId, StatusCodes.Status202Accepted, status, true) { RunId = result.ExecutionId });
                return Results.Json(new Accepted(result.ExecutionId!, status), HookJson.Default.Accepted, statusCode: StatusCodes.Status202Accepted);
            case TriggerStatus.Paused:
                return Refuse(new HookCall(name, source, deliveryId, StatusCodes.Status409Conflict, "paused", false), true,
                    "paused", $"the hand '{name}' is paused; nothing was started (/resume {name} in chat)");
            case TriggerStatus.Disabled:
                return Refuse(new HookCall(name, source, deliveryId, StatusCodes.Status409Conflict, "disabled", false), true,
                    "disabled", $"the hand '{name}' is disabled (enabled = false); nothing was started");
            case TriggerStatus.NotFound:
                return Refuse(new HookCall(name, source, deliveryId, StatusCodes.Status404NotFound, "unknown hook", false), false,
                    "unknown_hook", $"no hand is named '{name}'");
            default:
                return Refuse(new HookCall(name, source, deliveryId, StatusCodes.Status409Conflict, "invalid hand", false), true,
                    "invalid", $"the hand '{name}' has errors in its HAND.toml; `handsbot validate` shows them");
        }
    }

    private IResult Refuse(HookCall call, bool knownHook, string error, string message)
    {
        audit.Refused(call, knownHook);
        return Results.Json(new Refusal(error, message), HookJson.Default.Refusal, statusCode: call.Status);
    }

    /// <summary>A hook name from the URL as it may be shown and logged: at most 40 visible characters.</summary>
    private static string Printable(string name)
    {
        var clean = new string([.. name.Where(c => !char.IsControl(c) && !char.IsWhiteSpace(c)).Take(40)]);
        return clean.Length == 0 ? "(empty)" : clean;
    }
}
