using System.Text;
using System.Text.Json;
using Tomlyn;
using Tomlyn.Model;

namespace HandsBot.Core.Manifest.Parsing;

/// <summary>Turns the free-form [parameters] table into JSON, keeping key order and value types.</summary>
internal static class ParametersJson
{
    public static string From(TomlTable table)
    {
        using var buffer = new MemoryStream();
        using (var writer = new Utf8JsonWriter(buffer))
        {
            Write(writer, table);
        }
        return Encoding.UTF8.GetString(buffer.ToArray());
    }

    private static void Write(Utf8JsonWriter writer, object? value)
    {
        switch (value)
        {
            case null: writer.WriteNullValue(); break;
            case string s: writer.WriteStringValue(s); break;
            case long l: writer.WriteNumberValue(l); break;
            // JSON has no NaN or infinity; keep them readable as strings.
            case double d when !double.IsFinite(d): writer.WriteStringValue(d.ToString(System.Globalization.CultureInfo.InvariantCulture)); break;
            case double d: writer.WriteNumberValue(d); break;
            case bool b: writer.WriteBooleanValue(b); break;
            case TomlDateTime dt: writer.WriteStringValue(dt.ToString()); break;
            case TomlTable t:
                writer.WriteStartObject();
                foreach (var (key, item) in t)
                {
                    writer.WritePropertyName(key);
                    Write(writer, item);
                }
                writer.WriteEndObject();
                break;
            case TomlTableArray tables:
                writer.WriteStartArray();
                foreach (var t in tables) Write(writer, t);
                writer.WriteEndArray();
                break;
            case TomlArray array:
                writer.WriteStartArray();
                foreach (var item in array) Write(writer, item);
                writer.WriteEndArray();
                break;
            default: writer.WriteStringValue(value.ToString()); break;
        }
    }
}
