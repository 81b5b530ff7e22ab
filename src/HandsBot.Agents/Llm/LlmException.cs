namespace HandsBot.Agents.Llm;

/// <summary>The language model endpoint could not answer. The message is safe to show users (no secrets).</summary>
public sealed class LlmException : Exception
{
    public LlmException(string message) : base(message) { }
    public LlmException(string message, Exception inner) : base(message, inner) { }
    public LlmException() { }
}
