using System.Text;
using NSec.Cryptography;

namespace HandsBot.Discord.Interactions;

/// <summary>
/// Checks the Ed25519 signature Discord puts on every HTTP interaction
/// (X-Signature-Ed25519 over X-Signature-Timestamp + raw body) against the application's public key.
/// </summary>
public sealed class DiscordSignatureVerifier
{
    private readonly PublicKey _key;

    /// <param name="publicKeyHex">The application's public key from the developer portal (64 hex characters).</param>
    public DiscordSignatureVerifier(string publicKeyHex)
    {
        byte[] raw;
        try
        {
            raw = Convert.FromHexString(publicKeyHex?.Trim() ?? "");
        }
        catch (FormatException)
        {
            raw = [];
        }
        if (raw.Length != 32 || !PublicKey.TryImport(SignatureAlgorithm.Ed25519, raw, KeyBlobFormat.RawPublicKey, out var key) || key is null)
        {
            throw new ArgumentException("[discord] public_key must be the application's Ed25519 public key: 64 hex characters from the developer portal", nameof(publicKeyHex));
        }
        _key = key;
    }

    public bool Verify(string? signatureHex, string? timestamp, ReadOnlySpan<byte> body)
    {
        if (string.IsNullOrEmpty(signatureHex) || string.IsNullOrEmpty(timestamp) || signatureHex.Length != 128) return false;
        byte[] signature;
        try
        {
            signature = Convert.FromHexString(signatureHex);
        }
        catch (FormatException)
        {
            return false;
        }
        var stamp = Encoding.UTF8.GetBytes(timestamp);
        var message = new byte[stamp.Length + body.Length];
        stamp.CopyTo(message, 0);
        body.CopyTo(message.AsSpan(stamp.Length));
        return SignatureAlgorithm.Ed25519.Verify(_key, message, signature);
    }
}
