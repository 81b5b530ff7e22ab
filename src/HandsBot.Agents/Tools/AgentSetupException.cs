namespace HandsBot.Agents.Tools;

/// <summary>The hand cannot run as an agent (a tool or sidecar is missing or wrong). The message names the file and problem.</summary>
public sealed class AgentSetupException : Exception
{
    public AgentSetupException(string message) : base(message) { }
    public AgentSetupException(string message, Exception inner) : base(message, inner) { }
    public AgentSetupException() { }
}
