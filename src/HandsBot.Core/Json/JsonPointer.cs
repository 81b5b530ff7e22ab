using System.Globalization;
using System.Text;
using System.Text.Json;

namespace HandsBot.Core.Json;

/// <summary>
/// RFC 6901 JSON pointers ("/ref", "/commits/0/id", "/a~1b" for the key "a/b"): checked when a hand is
/// loaded, evaluated over a parsed document when a run needs a value.
/// </summary>
public static class JsonPointer
{
    /// <summary>Null when <paramref name="pointer"/> is a valid pointer; otherwise what is wrong with it.</summary>
    public static string? Problem(string pointer)
    {
        ArgumentNullException.ThrowIfNull(pointer);
        if (pointer.Length == 0) return null;
        if (pointer[0] != '/') return "a JSON pointer starts with '/' (e.g. \"/ref\" or \"/commits/0/id\")";
        for (var i = 0; i < pointer.Length; i++)
        {
            if (pointer[i] != '~') continue;
            if (i + 1 >= pointer.Length || pointer[i + 1] is not ('0' or '1'))
            {
                return "'~' must be followed by 0 (for '~') or 1 (for '/')";
            }
        }
        return null;
    }

    /// <summary>The element <paramref name="pointer"/> names under <paramref name="root"/>, if there is one.</summary>
    public static bool TryResolve(JsonElement root, string pointer, out JsonElement value)
    {
        value = root;
        if (Problem(pointer) is not null) return false;
        if (pointer.Length == 0) return true;
        foreach (var raw in pointer[1..].Split('/'))
        {
            var token = raw.Replace("~1", "/", StringComparison.Ordinal).Replace("~0", "~", StringComparison.Ordinal);
            switch (value.ValueKind)
            {
                case JsonValueKind.Object:
                    if (!value.TryGetProperty(token, out value)) return false;
                    break;
                case JsonValueKind.Array:
                    // An index is digits without a leading zero (RFC 6901, 4).
                    if (token.Length == 0 || (token.Length > 1 && token[0] == '0') || !token.All(char.IsAsciiDigit)
                        || !int.TryParse(token, NumberStyles.None, CultureInfo.InvariantCulture, out var index)
                        || index >= value.GetArrayLength())
                    {
                        return false;
                    }
                    value = value[index];
                    break;
                default:
                    return false;
            }
        }
        return true;
    }

    /// <summary>A value as a program gets it in a variable: strings as they are, other scalars as JSON, objects and arrays as compact JSON.</summary>
    public static string AsText(JsonElement value) => value.ValueKind switch
    {
        JsonValueKind.String => value.GetString() ?? "",
        JsonValueKind.True => "true",
        JsonValueKind.False => "false",
        JsonValueKind.Null => "",
        _ => Compact(value),
    };

    private static string Compact(JsonElement value)
    {
        using var buffer = new MemoryStream();
        using (var writer = new Utf8JsonWriter(buffer)) value.WriteTo(writer);
        return Encoding.UTF8.GetString(buffer.ToArray());
    }
}
