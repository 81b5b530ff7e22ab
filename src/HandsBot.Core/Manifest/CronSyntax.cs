using Cronos;

namespace HandsBot.Core.Manifest;

/// <summary>Checks a cron expression: 5 fields (minute hour day month weekday) or 6 with leading seconds, or a Cronos macro (@daily).</summary>
public static class CronSyntax
{
    private const string CronosPrefix = "The given cron expression has an invalid format. ";

    /// <summary>Parses <paramref name="expr"/>; on failure <paramref name="error"/> says what is wrong, without the expression's location.</summary>
    public static bool TryParse(string expr, out CronExpression? cron, out string? error)
    {
        cron = null;
        error = null;
        if (string.IsNullOrWhiteSpace(expr))
        {
            error = "cron expression is empty";
            return false;
        }

        var fields = expr.Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries);
        CronFormat format;
        if (fields.Length == 1 && fields[0].StartsWith('@'))
        {
            format = CronFormat.Standard;
        }
        else if (fields.Length is 5 or 6)
        {
            format = fields.Length == 6 ? CronFormat.IncludeSeconds : CronFormat.Standard;
        }
        else
        {
            error = $"cron expression has {fields.Length} field{(fields.Length == 1 ? "" : "s")}, expected 5 (minute hour day month weekday) or 6 (with seconds first)";
            return false;
        }

        try
        {
            cron = CronExpression.Parse(string.Join(' ', fields), format);
            return true;
        }
        catch (MissingSeedException)
        {
            error = $"invalid cron expression '{expr.Trim()}': 'H' (hashed jitter) is not supported; give explicit values";
            return false;
        }
        catch (CronFormatException ex)
        {
            var message = ex.Message.StartsWith(CronosPrefix, StringComparison.Ordinal) ? ex.Message[CronosPrefix.Length..] : ex.Message;
            error = $"invalid cron expression '{expr.Trim()}': {message}";
            return false;
        }
    }

    /// <summary>The expression with runs of whitespace collapsed, as stored in the manifest.</summary>
    internal static string Normalize(string expr) =>
        string.Join(' ', expr.Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries));
}
