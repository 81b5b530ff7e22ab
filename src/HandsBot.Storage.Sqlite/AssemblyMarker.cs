namespace HandsBot.Storage.Sqlite;

internal static class AssemblyMarker
{
}
