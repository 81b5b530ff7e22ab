namespace HandsBot.Benchmarks;

/// <summary>A small load program (measures latency or throughput end to end) run by name from the command line.</summary>
public interface ILoadProgram
{
    string Name { get; }
    string Description { get; }
    Task<int> RunAsync(string[] args);
}
