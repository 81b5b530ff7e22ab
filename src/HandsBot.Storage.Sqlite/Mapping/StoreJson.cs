using System.Text.Json.Serialization;

namespace HandsBot.Storage.Sqlite.Mapping;

/// <summary>JSON the store writes itself (file lists, decided payloads), source-generated so it needs no reflection.</summary>
[JsonSerializable(typeof(List<string>))]
[JsonSerializable(typeof(IReadOnlyDictionary<string, string>))]
[JsonSerializable(typeof(Dictionary<string, string>))]
internal sealed partial class StoreJson : JsonSerializerContext;
