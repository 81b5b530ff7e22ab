namespace HandsBot.ConsoleChannel;

/// <summary>The console's input and output (stdin/stdout in the app; in-memory pipes in tests).</summary>
internal sealed class ConsoleIO(TextReader input, TextWriter output)
{
    public TextReader In { get; } = input;
    public TextWriter Out { get; } = output;
    private readonly Lock _lock = new();

    public static ConsoleIO Standard() => new(Console.In, Console.Out);

    /// <summary>Writes a block of lines at once, so concurrent deliveries never interleave.</summary>
    public void WriteBlock(string text)
    {
        lock (_lock)
        {
            Out.Write(text);
            if (!text.EndsWith('\n')) Out.WriteLine();
            Out.Flush();
        }
    }
}
