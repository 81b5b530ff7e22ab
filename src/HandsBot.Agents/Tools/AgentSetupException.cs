namespace HandsBot.Agents.Tools;

/// <summary>The hand cannot run as an agent (a tool or sidecar is missing or wrong). The message names the file and problem.</summary>
public sealed class AgentSetupException : Exception
{
    public AgentSetupException(string message) : base(message) { }
    public AgentSetupException(string message, Exception inner) : base(message, inner) { }
    public AgentSetupException() { }

    internal AgentSetupException(string file, string problem, Exception? inner = null)
        : base($"{file}: {problem}", inner)
    {
        File = file;
        Problem = problem;
    }

    /// <summary>The file at fault (a sidecar), when the problem is inside one.</summary>
    public string? File { get; }

    /// <summary>The problem without the file name, when <see cref="File"/> is set.</summary>
    public string? Problem { get; }
}
