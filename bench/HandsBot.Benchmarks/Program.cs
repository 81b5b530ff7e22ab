using System.Reflection;
using BenchmarkDotNet.Running;
using HandsBot.Benchmarks;

// `dotnet run -c Release --project bench/HandsBot.Benchmarks -- <load-program> [args]` runs one of the
// load programs (ILoadProgram); anything else goes to BenchmarkDotNet's switcher.
var programs = Assembly.GetExecutingAssembly().GetTypes()
    .Where(t => typeof(ILoadProgram).IsAssignableFrom(t) && t is { IsAbstract: false, IsInterface: false })
    .Select(t => (ILoadProgram)Activator.CreateInstance(t)!)
    .ToDictionary(p => p.Name, StringComparer.OrdinalIgnoreCase);

if (args.Length > 0 && programs.TryGetValue(args[0], out var program))
{
    return await program.RunAsync(args[1..]);
}
if (args.Length > 0 && args[0] == "--list-load")
{
    foreach (var p in programs.Values.OrderBy(p => p.Name)) Console.WriteLine($"{p.Name}: {p.Description}");
    return 0;
}
BenchmarkSwitcher.FromAssembly(typeof(ILoadProgram).Assembly).Run(args);
return 0;
