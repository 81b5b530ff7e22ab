using System.Text.Json;
using Microsoft.Data.Sqlite;

namespace HandsBot.Storage.Sqlite.Mapping;

internal static class SqliteExtensions
{
    /// <summary>Adds a parameter, mapping null to SQL NULL.</summary>
    public static SqliteCommand With(this SqliteCommand command, string name, object? value)
    {
        command.Parameters.AddWithValue(name, value ?? DBNull.Value);
        return command;
    }

    public static SqliteCommand Command(this SqliteConnection connection, string sql, SqliteTransaction? transaction = null)
    {
        var command = connection.CreateCommand();
        command.CommandText = sql;
        command.Transaction = transaction;
        return command;
    }

    public static string? GetNullableString(this SqliteDataReader reader, int ordinal) =>
        reader.IsDBNull(ordinal) ? null : reader.GetString(ordinal);

    public static DateTimeOffset GetTime(this SqliteDataReader reader, int ordinal) =>
        UnixTime.FromMs(reader.GetInt64(ordinal));

    public static DateTimeOffset? GetNullableTime(this SqliteDataReader reader, int ordinal) =>
        reader.IsDBNull(ordinal) ? null : UnixTime.FromMs(reader.GetInt64(ordinal));

    public static bool GetFlag(this SqliteDataReader reader, int ordinal) => reader.GetInt64(ordinal) != 0;

    public static T GetEnum<T>(this SqliteDataReader reader, int ordinal)
        where T : struct, Enum => SnakeCaseEnum<T>.FromText(reader.GetString(ordinal));

    public static T? GetNullableEnum<T>(this SqliteDataReader reader, int ordinal)
        where T : struct, Enum => reader.IsDBNull(ordinal) ? null : SnakeCaseEnum<T>.FromText(reader.GetString(ordinal));

    public static IReadOnlyList<string> GetStringList(this SqliteDataReader reader, int ordinal) =>
        reader.IsDBNull(ordinal) ? [] : JsonSerializer.Deserialize(reader.GetString(ordinal), StoreJson.Default.ListString) ?? [];

    public static string ToJson(IReadOnlyList<string> values) => JsonSerializer.Serialize([.. values], StoreJson.Default.ListString);

    /// <summary>A LIKE pattern matching values that start with <paramref name="prefix"/>; use with <c>ESCAPE '\'</c>.</summary>
    public static string StartsWithPattern(string prefix) =>
        prefix.Replace(@"\", @"\\", StringComparison.Ordinal)
              .Replace("%", @"\%", StringComparison.Ordinal)
              .Replace("_", @"\_", StringComparison.Ordinal) + "%";
}
