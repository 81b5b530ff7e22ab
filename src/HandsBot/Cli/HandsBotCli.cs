using System.CommandLine;
using HandsBot.Configuration;
using HandsBot.Core.Storage;

namespace HandsBot.Cli;

/// <summary>The `handsbot` command line: serve (default), validate, list, run, invite, hooks.</summary>
internal static class HandsBotCli
{
    public const int Ok = 0;
    public const int Failed = 1;
    public const int UsageError = 2;

    public static async Task<int> RunAsync(string[] args, TextWriter? stdout = null, TextWriter? stderr = null)
    {
        var output = new CliOutput(stdout ?? Console.Out, stderr ?? Console.Error);
        var configOption = new Option<string?>("--config", "-c")
        {
            Description = $"Path of the config file (default: {LoadedConfig.DefaultPath})",
            Recursive = true,
        };

        var root = new RootCommand("HandsBot: runs your hands on schedule and talks to you about them on Telegram, Discord or the console.");
        root.Options.Add(configOption);

        var serve = new Command("serve", "Run the bot (the default when no command is given).");
        serve.SetAction((result, ct) => Guard(output, () => ServeCommand.RunAsync(result.GetValue(configOption), output, ct)));
        root.SetAction((result, ct) => Guard(output, () => ServeCommand.RunAsync(result.GetValue(configOption), output, ct)));

        var handsOption = new Option<string?>("--hands") { Description = "Hands folder to validate (default: [hands] dir from the config)" };
        var validate = new Command("validate", "Check every hand's HAND.toml and report problems with file and line. Exit code 0 when all are valid, 1 otherwise.");
        validate.Options.Add(handsOption);
        validate.SetAction((result, ct) => Guard(output, () => ValidateCommand.RunAsync(result.GetValue(configOption), result.GetValue(handsOption), output)));

        var list = new Command("list", "List every hand with its schedule, next run and state (invalid hands too).");
        list.SetAction((result, ct) => Guard(output, () => ListCommand.RunAsync(result.GetValue(configOption), output, ct)));

        var handArgument = new Argument<string>("hand") { Description = "Name of the hand to run" };
        var run = new Command("run", "Run one hand once, now, and print its output. Exit code 0 on success.");
        run.Arguments.Add(handArgument);
        run.SetAction((result, ct) => Guard(output, () => RunOnceCommand.RunAsync(result.GetValue(configOption), result.GetValue(handArgument)!, output, ct)));

        var invite = new Command("invite", "Print the link that adds the bot to a Discord server.");
        invite.SetAction((result, ct) => Guard(output, () => InviteCommand.RunAsync(result.GetValue(configOption), output)));

        root.Subcommands.Add(serve);
        root.Subcommands.Add(validate);
        root.Subcommands.Add(list);
        root.Subcommands.Add(run);
        var hooks = new Command("hooks", "Print each webhook hand's URL and the lines to set it up in GitHub or call it with curl.");
        hooks.SetAction((result, ct) => Guard(output, () => HooksCommand.RunAsync(result.GetValue(configOption), output)));

        root.Subcommands.Add(invite);
        root.Subcommands.Add(hooks);

        var parsed = root.Parse(args);
        if (parsed.Errors.Count > 0)
        {
            foreach (var error in parsed.Errors) output.Error(error.Message);
            output.Error("Run `handsbot --help` for usage.");
            return UsageError;
        }
        // No termination timeout: SIGTERM and Ctrl+C go to the host, which stops the bot in order
        // (triggers, then running hands within shutdown_grace, then the outbox) and exits 0; the
        // command line's own 2-second cut would leave hands running and runs without an outcome.
        return await parsed.InvokeAsync(new InvocationConfiguration { Output = output.Out, Error = output.Err, ProcessTerminationTimeout = null }).ConfigureAwait(false);
    }

    /// <summary>Turns problems a user can fix into one clear message and exit code 2, never a stack trace.</summary>
    private static async Task<int> Guard(CliOutput output, Func<Task<int>> action)
    {
        try
        {
            return await action().ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is ConfigException or StartupException or StoreUnavailableException)
        {
            output.Error(ex.Message);
            return UsageError;
        }
    }

    /// <summary>
    /// Loads, checks and validates the configuration. Problems throw <see cref="ConfigException"/> with every
    /// one of them; warnings (unknown keys) go to <paramref name="output"/>'s stderr.
    /// </summary>
    public static (LoadedConfig Config, HandsBotSettings Settings) LoadConfig(string? path, CliOutput? output = null)
    {
        var config = LoadedConfig.Load(path);
        var settings = HandsBotSettings.Load(config);
        if (output is not null)
        {
            foreach (var warning in settings.Warnings) output.Error(warning.ToString());
        }
        return (config, settings);
    }
}

/// <summary>Where the CLI writes: results to stdout, problems to stderr.</summary>
internal sealed class CliOutput(TextWriter stdout, TextWriter stderr)
{
    public TextWriter Out { get; } = stdout;
    public TextWriter Err { get; } = stderr;

    public void Line(string text = "") => Out.WriteLine(text);

    public void Error(string text) => Err.WriteLine(text);
}
