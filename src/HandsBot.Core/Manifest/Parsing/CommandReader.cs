using HandsBot.Core.Manifest.Disk;
using HandsBot.Core.Model;
using Tomlyn.Model;

namespace HandsBot.Core.Manifest.Parsing;

/// <summary>Reads a command (a shell string or an argv array) and, with a hand folder, checks that its program exists.</summary>
internal static class CommandReader
{
    public static RunSpec? Read(TableReader table, string key, TimeSpan timeout, HandEnvironment? environment)
    {
        var value = table.Raw(key);
        RunSpec? spec;
        switch (value)
        {
            case null:
                return null;
            case string line when string.IsNullOrWhiteSpace(line):
                table.Error(key, "command is empty");
                return null;
            case string line:
                spec = new RunSpec { CommandLine = line, Timeout = timeout };
                break;
            case TomlArray:
                var argv = table.StringList(key, allowSingle: false);
                if (argv is null) return null;
                if (argv.Count == 0 || string.IsNullOrWhiteSpace(argv[0]))
                {
                    table.Error(key, "command array is empty; its first item is the program to run");
                    return null;
                }
                spec = new RunSpec { Argv = argv, Timeout = timeout };
                break;
            default:
                table.TypeError(key, "a string (run by /bin/sh -c) or an array of strings (argv)", value);
                return null;
        }

        if (environment is not null)
        {
            var program = spec.Argv is { } a ? a[0] : ShellProgram(spec.CommandLine!);
            if (program is not null && environment.CheckProgram(program) is { } problem)
            {
                table.Error(key, problem);
            }
        }
        return spec;
    }

    // Words the shell runs itself: no file to look for.
    private static readonly HashSet<string> ShellWords = new(StringComparer.Ordinal)
    {
        "cd", "exec", "export", "set", "source", ".", ":", "true", "false", "echo", "printf", "test", "[",
        "eval", "exit", "if", "for", "while", "until", "case", "{", "(", "!", "command", "env", "time", "ulimit", "umask", "read", "wait", "trap",
    };

    /// <summary>The program a shell command line starts with, or null when it starts with shell syntax we don't check.</summary>
    internal static string? ShellProgram(string commandLine)
    {
        var line = commandLine.TrimStart();
        var end = 0;
        while (end < line.Length && !char.IsWhiteSpace(line[end]) && line[end] is not ';' and not '|' and not '&' and not '>' and not '<')
        {
            end++;
        }
        var word = line[..end];
        if (word.Length >= 2 && word[0] == word[^1] && word[0] is '"' or '\'')
        {
            word = word[1..^1];
        }
        if (word.Length == 0 || ShellWords.Contains(word)) return null;
        // Variable assignments (FOO=1 ./run.sh), expansions and quoting are left to the shell.
        if (word.IndexOfAny(['=', '$', '`', '"', '\'', '(', '*', '?', '~']) >= 0) return null;
        return word;
    }
}
