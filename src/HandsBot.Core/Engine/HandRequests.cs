using System.Text.Json;
using HandsBot.Core.Model;

namespace HandsBot.Core.Engine;

/// <summary>A gated action a run asked for (a HAND_REQUESTS line or an agent's gated tool call).</summary>
public sealed record HandRequest(string Gate, string Summary, string DataJson, bool IsAgentCall);

/// <summary>Reads the JSON lines a command hand appended to HAND_REQUESTS; a request naming no gate fails the run.</summary>
internal static class HandRequests
{
    public sealed record Batch(IReadOnlyList<HandRequest> Items, string? Error);

    public static async Task<Batch> ReadAsync(string file, HandManifest manifest)
    {
        var items = new List<HandRequest>();
        var lines = await File.ReadAllLinesAsync(file, CancellationToken.None).ConfigureAwait(false);
        for (var i = 0; i < lines.Length; i++)
        {
            var line = lines[i].Trim();
            if (line.Length == 0) continue;
            var where = $"HAND_REQUESTS line {i + 1}";
            JsonElement root;
            try
            {
                using var document = JsonDocument.Parse(line);
                root = document.RootElement.Clone();
            }
            catch (JsonException ex)
            {
                return new Batch([], $"{where}: not valid JSON ({ex.Message})");
            }
            if (root.ValueKind != JsonValueKind.Object || !root.TryGetProperty("gate", out var gateName) || gateName.ValueKind != JsonValueKind.String)
            {
                return new Batch([], $"{where}: expected an object with a \"gate\" string");
            }
            var gate = manifest.FindGate(gateName.GetString()!);
            if (gate is null)
            {
                var known = manifest.Gates.Count == 0 ? "this hand has no [approval_gates]" : "gates: " + string.Join(", ", manifest.Gates.Select(g => g.Key));
                return new Batch([], $"{where}: unknown gate '{gateName.GetString()}' ({known})");
            }
            var summary = root.TryGetProperty("summary", out var s) && s.ValueKind == JsonValueKind.String ? s.GetString()! : gate.Description;
            var data = root.TryGetProperty("data", out var d) ? d.GetRawText() : "{}";
            items.Add(new HandRequest(gate.Key, summary, data, IsAgentCall: false));
        }
        return new Batch(items, null);
    }
}
