using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using HandsBot.Core.Model;
using Microsoft.AspNetCore.Http;

namespace HandsBot.Webhooks.Verification;

/// <summary>How a signature check ended. Callers answer every failure the same way (401, no detail); the reason is for the audit log.</summary>
internal enum SignatureVerdict { Valid, Missing, Malformed, Wrong, Stale }

/// <summary>
/// Checks a call's proof against each of the hook's secrets, over the raw bytes as received and in
/// constant time (CryptographicOperations.FixedTimeEquals): every secret is tried, so the time taken does
/// not tell which one matched.
/// </summary>
internal static class SignatureCheck
{
    public const string GithubSignature = "X-Hub-Signature-256";
    public const string HookTimestamp = "X-Hook-Timestamp";
    public const string HookSignature = "X-Hook-Signature";
    private const string Sha256Prefix = "sha256=";

    public static SignatureVerdict Verify(WebhookSpec spec, IHeaderDictionary headers, ReadOnlySpan<byte> body, IReadOnlyList<byte[]> secrets, DateTimeOffset now) => spec.Scheme switch
    {
        WebhookScheme.Github => VerifyGithub(headers, body, secrets),
        WebhookScheme.Hmac => VerifyHmac(headers, body, secrets, spec.Tolerance, now),
        _ => VerifyBearer(headers, secrets),
    };

    private static SignatureVerdict VerifyGithub(IHeaderDictionary headers, ReadOnlySpan<byte> body, IReadOnlyList<byte[]> secrets)
    {
        var header = headers[GithubSignature].ToString();
        if (header.Length == 0) return SignatureVerdict.Missing;
        if (!TryHex(header, out var given)) return SignatureVerdict.Malformed;
        var ok = false;
        Span<byte> mac = stackalloc byte[HMACSHA256.HashSizeInBytes];
        foreach (var secret in secrets)
        {
            HMACSHA256.HashData(secret, body, mac);
            ok |= CryptographicOperations.FixedTimeEquals(mac, given);
        }
        return ok ? SignatureVerdict.Valid : SignatureVerdict.Wrong;
    }

    private static SignatureVerdict VerifyHmac(IHeaderDictionary headers, ReadOnlySpan<byte> body, IReadOnlyList<byte[]> secrets, TimeSpan tolerance, DateTimeOffset now)
    {
        var timestamp = headers[HookTimestamp].ToString();
        var header = headers[HookSignature].ToString();
        if (timestamp.Length == 0 || header.Length == 0) return SignatureVerdict.Missing;
        if (timestamp.Length > 12 || !long.TryParse(timestamp, NumberStyles.None, CultureInfo.InvariantCulture, out var seconds) || !TryHex(header, out var given))
        {
            return SignatureVerdict.Malformed;
        }
        // A captured call replayed later than the tolerance is refused; within it, the delivery id
        // (Idempotency-Key, or the signature itself) makes a replay find the first run.
        if (Math.Abs(now.ToUnixTimeSeconds() - seconds) > (long)tolerance.TotalSeconds) return SignatureVerdict.Stale;

        // The signed text is "<timestamp as received>.<body as received>".
        var prefix = Encoding.ASCII.GetBytes(timestamp + ".");
        var signed = new byte[prefix.Length + body.Length];
        prefix.CopyTo(signed, 0);
        body.CopyTo(signed.AsSpan(prefix.Length));
        var ok = false;
        Span<byte> mac = stackalloc byte[HMACSHA256.HashSizeInBytes];
        foreach (var secret in secrets)
        {
            HMACSHA256.HashData(secret, signed, mac);
            ok |= CryptographicOperations.FixedTimeEquals(mac, given);
        }
        return ok ? SignatureVerdict.Valid : SignatureVerdict.Wrong;
    }

    private static SignatureVerdict VerifyBearer(IHeaderDictionary headers, IReadOnlyList<byte[]> secrets)
    {
        var header = headers.Authorization.ToString();
        if (header.Length == 0) return SignatureVerdict.Missing;
        if (!header.StartsWith("Bearer ", StringComparison.Ordinal)) return SignatureVerdict.Malformed;
        // Hashing both sides first makes the comparison independent of the secret's length too.
        var given = SHA256.HashData(Encoding.UTF8.GetBytes(header["Bearer ".Length..]));
        var ok = false;
        foreach (var secret in secrets) ok |= CryptographicOperations.FixedTimeEquals(SHA256.HashData(secret), given);
        return ok ? SignatureVerdict.Valid : SignatureVerdict.Wrong;
    }

    /// <summary>"sha256=&lt;64 hex digits&gt;" → the 32 bytes.</summary>
    private static bool TryHex(string header, out byte[] bytes)
    {
        bytes = [];
        if (!header.StartsWith(Sha256Prefix, StringComparison.OrdinalIgnoreCase) || header.Length != Sha256Prefix.Length + 64) return false;
        try
        {
            bytes = Convert.FromHexString(header.AsSpan(Sha256Prefix.Length));
            return true;
        }
        catch (FormatException)
        {
            return false;
        }
    }
}
