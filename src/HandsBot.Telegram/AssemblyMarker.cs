namespace HandsBot.Telegram;

internal static class AssemblyMarker
{
}
