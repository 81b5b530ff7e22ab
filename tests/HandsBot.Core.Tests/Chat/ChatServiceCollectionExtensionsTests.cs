using HandsBot.Core.Access;
using HandsBot.Core.Chat;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;

namespace HandsBot.Core.Tests.Chat;

public sealed class ChatServiceCollectionExtensionsTests
{
    [Fact]
    public void AddChatCommands_RegistersPolicyAndServiceAsSingletons()
    {
        var services = new ServiceCollection().AddChatCommands();

        var chat = Assert.Single(services, d => d.ServiceType == typeof(IChatCommandService));
        Assert.Equal(typeof(ChatCommandService), chat.ImplementationType);
        Assert.Equal(ServiceLifetime.Singleton, chat.Lifetime);
        Assert.Equal(ServiceLifetime.Singleton, Assert.Single(services, d => d.ServiceType == typeof(AccessPolicy)).Lifetime);
        Assert.Same(TimeProvider.System, Assert.Single(services, d => d.ServiceType == typeof(TimeProvider)).ImplementationInstance);
    }

    [Fact]
    public void AddChatCommands_KeepsAnExistingTimeProvider()
    {
        var fake = new FakeTimeProvider();
        var services = new ServiceCollection().AddSingleton<TimeProvider>(fake).AddChatCommands().AddChatCommands();
        Assert.Same(fake, Assert.Single(services, d => d.ServiceType == typeof(TimeProvider)).ImplementationInstance);
        Assert.Single(services, d => d.ServiceType == typeof(IChatCommandService));
    }
}
