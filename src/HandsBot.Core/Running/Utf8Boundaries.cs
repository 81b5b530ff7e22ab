namespace HandsBot.Core.Running;

/// <summary>Cuts byte ranges at UTF-8 character boundaries so a kept head or tail decodes cleanly.</summary>
internal static class Utf8Boundaries
{
    /// <summary>Drops a multi-byte sequence left incomplete at the end.</summary>
    public static ReadOnlySpan<byte> Trim(ReadOnlySpan<byte> bytes)
    {
        // Walk back over at most 3 continuation bytes to the lead byte of the last character.
        var i = bytes.Length - 1;
        var continuation = 0;
        while (i >= 0 && continuation < 3 && IsContinuation(bytes[i]))
        {
            i--;
            continuation++;
        }

        if (i < 0)
        {
            return bytes;
        }

        var expected = SequenceLength(bytes[i]);
        return expected > 1 && continuation + 1 < expected ? bytes[..i] : bytes;
    }

    /// <summary>Drops continuation bytes at the start (the rest of a character whose lead byte was cut off).</summary>
    public static ReadOnlySpan<byte> SkipLeadingContinuation(ReadOnlySpan<byte> bytes)
    {
        var i = 0;
        while (i < bytes.Length && i < 3 && IsContinuation(bytes[i]))
        {
            i++;
        }

        return bytes[i..];
    }

    private static bool IsContinuation(byte b) => (b & 0b1100_0000) == 0b1000_0000;

    private static int SequenceLength(byte lead) => lead switch
    {
        < 0b1000_0000 => 1,
        >= 0b1111_0000 => 4,
        >= 0b1110_0000 => 3,
        >= 0b1100_0000 => 2,
        _ => 1,
    };
}
