using HandsBot.Core.Storage;
using HandsBot.Storage.Sqlite.Tests.Support;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace HandsBot.Storage.Sqlite.Tests;

public sealed class ServiceCollectionTests
{
    private static readonly Type[] StoreInterfaces =
    [
        typeof(IHandsStore), typeof(IHandStore), typeof(IRunStore), typeof(IApprovalStore),
        typeof(IOutboxStore), typeof(IAuditStore), typeof(ISettingsStore), typeof(ISeenKeyStore), typeof(IStoreAdmin),
    ];

    [Fact]
    public void AddSqliteStore_RegistersEveryStoreInterfaceAsSingleton()
    {
        var services = new ServiceCollection().AddSqliteStore("unused.db");

        foreach (var type in StoreInterfaces.Append(typeof(SqliteHandsStore)))
        {
            var descriptor = Assert.Single(services, d => d.ServiceType == type);
            Assert.Equal(ServiceLifetime.Singleton, descriptor.Lifetime);
        }
    }

    [Fact]
    public async Task AddSqliteStore_ResolvesOneSharedStoreUsingRegisteredClockAndLogger()
    {
        await using var db = new TempDatabase();
        var services = new ServiceCollection().AddSqliteStore(db.Path);
        services.AddSingleton<TimeProvider>(db.Time);
        services.AddSingleton<ILogger<SqliteHandsStore>>(db.Logger);
        using var provider = new SingletonProvider(services);

        var stores = StoreInterfaces.Select(provider.GetService).ToList();
        var store = Assert.IsType<SqliteHandsStore>(stores[0]);
        Assert.All(stores, s => Assert.Same(store, s));

        await store.MigrateAsync();
        await store.UpsertHandAsync(Samples.Hand());
        Assert.Equal(db.Time.GetUtcNow(), (await store.GetHandAsync("oracle"))!.UpdatedAt);
        Assert.NotEmpty(db.Logger.Records);
        Assert.Equal(db.Path, store.DatabasePath);
    }

    [Theory]
    [InlineData("")]
    [InlineData("  ")]
    public void AddSqliteStore_ThrowsArgument_WhenPathIsBlank(string path)
    {
        Assert.Throws<ArgumentException>(() => new ServiceCollection().AddSqliteStore(path));
    }

    /// <summary>Just enough of a container to run singleton factory registrations.</summary>
    private sealed class SingletonProvider(IServiceCollection services) : IServiceProvider, IDisposable
    {
        private readonly Dictionary<Type, object> _instances = [];

        public object? GetService(Type serviceType)
        {
            if (_instances.TryGetValue(serviceType, out var existing))
            {
                return existing;
            }

            var descriptor = services.LastOrDefault(d => d.ServiceType == serviceType);
            if (descriptor is null)
            {
                return null;
            }

            var instance = descriptor.ImplementationInstance ?? descriptor.ImplementationFactory!(this);
            _instances[serviceType] = instance;
            return instance;
        }

        public void Dispose()
        {
            foreach (var disposable in _instances.Values.OfType<IDisposable>().Distinct())
            {
                if (!ReferenceEquals(disposable, this))
                {
                    disposable.Dispose();
                }
            }
        }
    }
}
