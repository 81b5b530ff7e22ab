using System.Globalization;
using System.Text.Json;
using Microsoft.AspNetCore.Http;

namespace HandsBot.Telegram.Tests.Fakes;

/// <summary>A Bot API call's parameters, from a JSON body or a multipart form (fields hold JSON text).</summary>
public sealed class FakeRequest
{
    private readonly Dictionary<string, JsonElement> _fields = new(StringComparer.Ordinal);

    public required string Method { get; init; }
    public Dictionary<string, (string FileName, byte[] Content)> Files { get; } = new(StringComparer.Ordinal);

    public static async Task<FakeRequest> ReadAsync(string method, HttpRequest request)
    {
        var parsed = new FakeRequest { Method = method };
        if (request.HasFormContentType)
        {
            var form = await request.ReadFormAsync();
            foreach (var (key, value) in form)
            {
                var text = value.ToString();
                parsed._fields[key] = LooksLikeJson(text) ? JsonDocument.Parse(text).RootElement.Clone() : JsonSerializer.SerializeToElement(text);
            }
            foreach (var file in form.Files)
            {
                using var stream = new MemoryStream();
                await file.CopyToAsync(stream);
                parsed.Files[file.Name] = (file.FileName, stream.ToArray());
            }
        }
        else if (request.ContentLength is not 0)
        {
            using var body = await JsonDocument.ParseAsync(request.Body);
            if (body.RootElement.ValueKind == JsonValueKind.Object)
            {
                foreach (var property in body.RootElement.EnumerateObject()) parsed._fields[property.Name] = property.Value.Clone();
            }
        }
        return parsed;
    }

    public bool Has(string name) => _fields.ContainsKey(name);

    public JsonElement? Json(string name) => _fields.TryGetValue(name, out var value) ? value : null;

    public string? String(string name) => Json(name) switch
    {
        null => null,
        { ValueKind: JsonValueKind.String } s => s.GetString(),
        { } other => other.GetRawText(),
    };

    public long? Long(string name) =>
        String(name) is { } text && long.TryParse(text, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var value) ? value : null;

    private static bool LooksLikeJson(string text) =>
        text.Length > 0 && (text[0] is '{' or '[' || text is "true" or "false" || long.TryParse(text, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out _));
}
