using System.Security.Cryptography;

namespace HandsBot.Core.Util;

/// <summary>Identifiers: execution ids, and short unguessable approval references.</summary>
public static class ShortIds
{
    private const string Base32 = "abcdefghijkmnpqrstuvwxyz23456789"; // no l, o, 0, 1: easy to read and type

    /// <summary>A new execution or approval id (32 hex chars).</summary>
    public static string NewId() => Guid.NewGuid().ToString("N");

    /// <summary>A random reference of <paramref name="length"/> chars (5 bits each: 10 chars = 50 bits).</summary>
    public static string NewReference(int length = 10)
    {
        Span<byte> bytes = stackalloc byte[length];
        RandomNumberGenerator.Fill(bytes);
        var chars = new char[length];
        for (var i = 0; i < length; i++) chars[i] = Base32[bytes[i] & 31];
        return new string(chars);
    }

    /// <summary>The short form shown to users: the first 8 chars.</summary>
    public static string Short(string id) => id.Length <= 8 ? id : id[..8];
}
