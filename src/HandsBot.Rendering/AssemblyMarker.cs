namespace HandsBot.Rendering;

internal static class AssemblyMarker
{
}
