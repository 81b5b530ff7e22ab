using System.Text.Json.Serialization;

namespace HandsBot.Core.Delivery;

[JsonSerializable(typeof(OutboundPart))]
[JsonSourceGenerationOptions(PropertyNamingPolicy = JsonKnownNamingPolicy.SnakeCaseLower, UseStringEnumConverter = true)]
internal sealed partial class DeliveryJson : JsonSerializerContext;
