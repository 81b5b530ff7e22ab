namespace HandsBot.Agents;

internal static class AssemblyMarker
{
}
