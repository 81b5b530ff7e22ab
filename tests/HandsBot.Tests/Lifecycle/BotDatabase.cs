using Microsoft.Data.Sqlite;

namespace HandsBot.Tests.Lifecycle;

/// <summary>Reads a bot's SQLite file from the outside, as an operator with the sqlite3 tool would.</summary>
internal static class BotDatabase
{
    public static async Task<List<Dictionary<string, object?>>> QueryAsync(string path, string sql)
    {
        await using var connection = new SqliteConnection(new SqliteConnectionStringBuilder { DataSource = path, Mode = SqliteOpenMode.ReadOnly, Pooling = false }.ToString());
        await connection.OpenAsync();
        await using var command = connection.CreateCommand();
        command.CommandText = sql;
        await using var reader = await command.ExecuteReaderAsync();
        var rows = new List<Dictionary<string, object?>>();
        while (await reader.ReadAsync())
        {
            var row = new Dictionary<string, object?>(StringComparer.Ordinal);
            for (var i = 0; i < reader.FieldCount; i++) row[reader.GetName(i)] = reader.IsDBNull(i) ? null : reader.GetValue(i);
            rows.Add(row);
        }
        return rows;
    }

    /// <summary>The hand's runs, oldest first: id, outcome, error.</summary>
    public static Task<List<Dictionary<string, object?>>> RunsAsync(string path, string hand) =>
        QueryAsync(path, $"SELECT id, outcome, run_state, error, trigger FROM executions WHERE hand = '{hand}' ORDER BY requested_at, id;");
}
