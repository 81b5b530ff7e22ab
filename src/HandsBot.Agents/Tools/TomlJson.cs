using System.Globalization;
using System.Text.Json.Nodes;
using Tomlyn.Model;

namespace HandsBot.Agents.Tools;

/// <summary>Converts a parsed TOML value (Tomlyn model) into the equivalent JSON node.</summary>
internal static class TomlJson
{
    public static JsonNode? ToJson(object? value) => value switch
    {
        null => null,
        TomlTable table => ToObject(table),
        TomlTableArray tables => new JsonArray([.. tables.Select(t => (JsonNode?)ToObject(t))]),
        TomlArray array => new JsonArray([.. array.Select(ToJson)]),
        string s => JsonValue.Create(s),
        bool b => JsonValue.Create(b),
        long l => JsonValue.Create(l),
        int i => JsonValue.Create(i),
        double d => JsonValue.Create(d),
        IFormattable f => JsonValue.Create(f.ToString(null, CultureInfo.InvariantCulture)),
        _ => JsonValue.Create(value.ToString()),
    };

    private static JsonObject ToObject(TomlTable table)
    {
        var obj = new JsonObject();
        foreach (var (key, value) in table)
            obj[key] = ToJson(value);
        return obj;
    }
}
