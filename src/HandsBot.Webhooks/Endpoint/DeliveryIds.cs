using HandsBot.Core.Model;
using Microsoft.AspNetCore.Http;

namespace HandsBot.Webhooks.Endpoint;

/// <summary>
/// A call's delivery id, stored with its run so a repeat finds the first run: the scheme's own header
/// (GitHub's X-GitHub-Delivery), else Idempotency-Key; for the hmac scheme without either, the signature
/// itself (it covers the timestamp, so only a replay of the very same call repeats it).
/// </summary>
internal static class DeliveryIds
{
    public const string GithubDelivery = "X-GitHub-Delivery";
    public const string IdempotencyKey = "Idempotency-Key";
    public const int MaxLength = 200;

    /// <summary>The id, or null with <paramref name="bad"/> false when the call has none; <paramref name="bad"/> true for an unusable one.</summary>
    public static string? From(WebhookSpec spec, IHeaderDictionary headers, out bool bad)
    {
        bad = false;
        var given = spec.Scheme == WebhookScheme.Github ? First(headers[GithubDelivery], headers[IdempotencyKey]) : headers[IdempotencyKey].ToString();
        if (given.Length > 0)
        {
            bad = given.Length > MaxLength || given.Any(c => c is < '!' or > '~');
            return bad ? null : given;
        }
        if (spec.Scheme == WebhookScheme.Hmac && headers[Verification.SignatureCheck.HookSignature].ToString() is { Length: > 0 } signature)
        {
            return "signature:" + signature.ToLowerInvariant();
        }
        return null;
    }

    private static string First(string? a, string? b) => !string.IsNullOrEmpty(a) ? a : b ?? "";
}
