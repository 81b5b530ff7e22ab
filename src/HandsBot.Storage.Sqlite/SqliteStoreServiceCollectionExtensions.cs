using HandsBot.Core.Storage;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace HandsBot.Storage.Sqlite;

public static class SqliteStoreServiceCollectionExtensions
{
    /// <summary>
    /// Registers one <see cref="SqliteHandsStore"/> on <paramref name="databasePath"/> as the singleton behind
    /// <see cref="IHandsStore"/> and each of its parts. Uses the registered <see cref="TimeProvider"/>
    /// (else the system clock). The host still calls <see cref="IHandsStore.MigrateAsync"/> at start-up.
    /// </summary>
    public static IServiceCollection AddSqliteStore(this IServiceCollection services, string databasePath)
    {
        ArgumentNullException.ThrowIfNull(services);
        ArgumentException.ThrowIfNullOrWhiteSpace(databasePath);

        services.AddSingleton(sp => new SqliteHandsStore(
            databasePath,
            sp.GetService<TimeProvider>() ?? TimeProvider.System,
            sp.GetService<ILogger<SqliteHandsStore>>() ?? NullLogger<SqliteHandsStore>.Instance));
        services.AddSingleton<IHandsStore>(sp => sp.GetRequiredService<SqliteHandsStore>());
        services.AddSingleton<IHandStore>(sp => sp.GetRequiredService<SqliteHandsStore>());
        services.AddSingleton<IRunStore>(sp => sp.GetRequiredService<SqliteHandsStore>());
        services.AddSingleton<IStoreAdmin>(sp => sp.GetRequiredService<SqliteHandsStore>());
        services.AddSingleton<IApprovalStore>(sp => sp.GetRequiredService<SqliteHandsStore>());
        services.AddSingleton<IOutboxStore>(sp => sp.GetRequiredService<SqliteHandsStore>());
        services.AddSingleton<IAuditStore>(sp => sp.GetRequiredService<SqliteHandsStore>());
        services.AddSingleton<ISettingsStore>(sp => sp.GetRequiredService<SqliteHandsStore>());
        services.AddSingleton<ISeenKeyStore>(sp => sp.GetRequiredService<SqliteHandsStore>());
        return services;
    }
}
