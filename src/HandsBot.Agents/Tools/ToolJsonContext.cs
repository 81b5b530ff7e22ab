using System.Text.Json.Nodes;
using System.Text.Json.Serialization;

namespace HandsBot.Agents.Tools;

[JsonSerializable(typeof(JsonObject))]
internal sealed partial class ToolJsonContext : JsonSerializerContext;
