namespace HandsBot.Core;

internal static class AssemblyMarker
{
}
