namespace HandsBot.Discord;

internal static class AssemblyMarker
{
}
