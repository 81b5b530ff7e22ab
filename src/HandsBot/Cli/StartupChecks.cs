using HandsBot.Configuration;
using HandsBot.Core.Registry;
using HandsBot.Core.Storage;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.DependencyInjection;

namespace HandsBot.Cli;

/// <summary>A fault the user can fix (a folder, a file, a lock): the CLI prints the message and exits 2.</summary>
internal sealed class StartupException(string message) : Exception(message);

/// <summary>
/// What every command that opens the bot checks first, turning the faults a user can cause into one
/// message that names the path and what to do, instead of a stack trace from deep inside.
/// </summary>
internal static class StartupChecks
{
    /// <summary>The hands folder must exist: a missing one usually means the wrong current folder or a typo.</summary>
    /// <exception cref="StartupException">It is missing or is a file.</exception>
    public static void RequireHandsFolder(LoadedConfig config, HandsBotSettings settings)
    {
        var dir = config.Resolve(settings.Hands.Dir);
        if (Directory.Exists(dir)) return;
        if (File.Exists(dir))
        {
            throw new StartupException($"{config.Locate("hands:dir")}: {dir} is a file, not a folder. Point [hands] dir at the folder that holds your hands.");
        }
        if (!config.FileExists)
        {
            throw new StartupException(
                $"No config file at {config.ConfigPath} and no hands folder at {dir}: HandsBot looks for {LoadedConfig.DefaultPath} and hands/ in the current folder ({Directory.GetCurrentDirectory()}). " +
                "Run it from the folder that holds config/ and hands/ (the repository root), or pass --config PATH.");
        }
        throw new StartupException($"{config.Locate("hands:dir")}: the hands folder {dir} does not exist. Create it (each hand is a folder with a HAND.toml) or set [hands] dir.");
    }

    /// <summary>Opens (creates, migrates and writes to) the store, translating what SQLite and the file system throw.</summary>
    /// <exception cref="StartupException">The database cannot be used; the message says why and what to do.</exception>
    public static async Task OpenStoreAsync(IServiceProvider services, string databasePath, CancellationToken ct)
    {
        try
        {
            var store = services.GetRequiredService<IHandsStore>();
            await store.MigrateAsync(ct).ConfigureAwait(false);
            // Migrating an up-to-date database only reads; one small write finds a read-only file or a lock
            // here, not later inside the engine where it would end in a stack trace.
            var now = services.GetRequiredService<TimeProvider>().GetUtcNow();
            await store.SetSettingAsync("host:last_start", now.ToString("O", System.Globalization.CultureInfo.InvariantCulture), ct).ConfigureAwait(false);
        }
        catch (InvalidOperationException ex) when (ex.InnerException is null && ex.Message.Contains(databasePath, StringComparison.Ordinal))
        {
            // The store's own schema messages (a database from a newer HandsBot) are written for people.
            throw new StartupException(ex.Message);
        }
        catch (Exception ex) when (Explain(ex, databasePath) is { } message)
        {
            throw new StartupException(message);
        }
    }

    /// <summary>Loads the hands into the store (the one-shot commands), translating store faults.</summary>
    public static async Task LoadHandsAsync(IServiceProvider services, string databasePath, CancellationToken ct)
    {
        try
        {
            await services.GetRequiredService<HandRegistry>().ReloadAsync(ct).ConfigureAwait(false);
        }
        catch (Exception ex) when (Explain(ex, databasePath) is { } message)
        {
            throw new StartupException(message);
        }
    }

    /// <summary>A message for a store fault a person can fix, or null for anything else (a bug keeps its trace).</summary>
    public static string? Explain(Exception ex, string databasePath)
    {
        var folder = Path.GetDirectoryName(databasePath) ?? databasePath;
        const string orMove = "or set [storage] path (HANDSBOT_STORAGE__PATH) to another place";
        return ex switch
        {
            // The CLI's words name what to change in the config; the store's own are the fallback.
            StoreUnavailableException { InnerException: { } inner } when Explain(inner, databasePath) is { } message => message,
            StoreUnavailableException unavailable => unavailable.Message,
            SqliteException { SqliteErrorCode: 8 } =>
                $"The database {databasePath} is read-only for this user: make the file and its folder {folder} (which holds its -wal and -shm files) writable, {orMove}.",
            SqliteException { SqliteErrorCode: 14 } =>
                $"Cannot open or create the database {databasePath}: its folder {folder} is missing or not writable for this user. Make the folder writable, {orMove}.",
            SqliteException { SqliteErrorCode: 5 or 6 } =>
                $"The database {databasePath} is locked by another process (another `handsbot serve`, or a tool holding it open). Stop that process, {orMove}.",
            SqliteException { SqliteErrorCode: 13 } =>
                $"The disk holding {databasePath} is full. Free some space, {orMove}.",
            SqliteException { SqliteErrorCode: 11 or 26 } =>
                $"{databasePath} is not a usable HandsBot database (SQLite: {FirstLine(ex.Message)}). Move the file away to start afresh, {orMove}.",
            UnauthorizedAccessException =>
                $"Cannot create or write the data folder {folder}: permission denied ({FirstLine(ex.Message)}). Make it writable for this user, {orMove}.",
            IOException when !Directory.Exists(folder) =>
                $"Cannot create the data folder {folder} ({FirstLine(ex.Message)}): is a file in the way? Remove it, {orMove}.",
            _ => null,
        };
    }

    private static string FirstLine(string text)
    {
        var newline = text.IndexOf('\n', StringComparison.Ordinal);
        return (newline < 0 ? text : text[..newline]).Trim();
    }
}
