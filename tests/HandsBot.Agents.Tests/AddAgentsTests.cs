using Microsoft.Extensions.Configuration;
using HandsBot.Core.Configuration;
using HandsBot.Core.Engine;
using Microsoft.Extensions.DependencyInjection;

namespace HandsBot.Agents.Tests;

public sealed class AddAgentsTests
{
    [Fact]
    public void AddAgents_RegistersAgentRunner_WithDefaultEndpoint()
    {
        using var provider = new ServiceCollection().AddLogging().AddSingleton<IConfiguration>(new ConfigurationBuilder().Build()).AddAgents().BuildServiceProvider();

        Assert.IsType<AgentRunner>(provider.GetRequiredService<IAgentRunner>());
        Assert.Equal(AgentRunner.DefaultEndpoint, provider.GetRequiredService<Microsoft.Extensions.Options.IOptions<LlmOptions>>().Value.Endpoint);
    }
}
