namespace HandsBot.Core.Model;

public enum Severity { Error, Warning }

/// <summary>One problem found in a hand: where (file, line, column), which key, and what is wrong.</summary>
public sealed record Diagnostic(Severity Severity, string File, int? Line, int? Column, string Key, string Message)
{
    public bool IsError => Severity == Severity.Error;

    /// <summary>Formats like a compiler: <c>hands/oracle/HAND.toml(3,12): schedule: cron expression has 4 fields</c>.</summary>
    public override string ToString()
    {
        var where = Line is { } l ? (Column is { } c ? $"({l},{c})" : $"({l})") : "";
        var kind = Severity == Severity.Warning ? "warning: " : "";
        var key = string.IsNullOrEmpty(Key) ? "" : Key + ": ";
        return $"{File}{where}: {kind}{key}{Message}";
    }
}
