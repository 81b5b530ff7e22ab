using System.Text.Json.Nodes;
using HandsBot.Core.Configuration;
using HandsBot.Discord.Delivery;
using HandsBot.Discord.Gateway;
using HandsBot.Discord.Interactions;
using HandsBot.Discord.Rest;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;

namespace HandsBot.Discord.Tests.Fakes;

/// <summary>The real Discord client pieces wired to a <see cref="FakeDiscordServer"/>.</summary>
public sealed class DiscordHarness : IAsyncDisposable
{
    private readonly CancellationTokenSource _stop = new();
    private Task? _gatewayRun;

    private DiscordHarness(FakeDiscordServer fake, DiscordOptions options, RateLimitSettings? rateLimits, InteractionSettings? interactions, GatewaySettings? gateway)
    {
        Fake = fake;
        Options = options;
        Rest = new DiscordRestClient(new HttpClient(), Microsoft.Extensions.Options.Options.Create(options), TimeProvider.System, NullLogger<DiscordRestClient>.Instance, rateLimits);
        Channel = new DiscordChannel(Rest);
        Handler = new DiscordInteractionHandler(Commands, Rest, TimeProvider.System, NullLogger<DiscordInteractionHandler>.Instance,
            interactions ?? new InteractionSettings());
        Registrar = new DiscordCommandRegistrar(Commands, Rest, Settings, Microsoft.Extensions.Options.Options.Create(options), NullLogger<DiscordCommandRegistrar>.Instance);
        Gateway = new DiscordGatewayClient(Rest, new WebSocketGatewayTransportFactory(), Microsoft.Extensions.Options.Options.Create(options), TimeProvider.System,
            NullLogger<DiscordGatewayClient>.Instance, Handler.HandleGatewayAsync, gateway ?? FastGateway());
    }

    public FakeDiscordServer Fake { get; }
    public DiscordOptions Options { get; }
    public FakeChatCommandService Commands { get; } = new();
    public InMemorySettingsStore Settings { get; } = new();
    public DiscordRestClient Rest { get; }
    public DiscordChannel Channel { get; }
    public DiscordInteractionHandler Handler { get; }
    public DiscordCommandRegistrar Registrar { get; }
    public DiscordGatewayClient Gateway { get; }
    public Task GatewayRun => _gatewayRun ?? throw new InvalidOperationException("gateway not started");

    public static async Task<DiscordHarness> StartAsync(
        Action<DiscordOptions>? configure = null,
        RateLimitSettings? rateLimits = null,
        InteractionSettings? interactions = null,
        GatewaySettings? gateway = null)
    {
        var fake = await FakeDiscordServer.StartAsync();
        var options = new DiscordOptions { Token = FakeDiscordServer.Token, ApplicationId = FakeDiscordServer.ApplicationId, ApiUrl = fake.ApiUrl };
        configure?.Invoke(options);
        return new DiscordHarness(fake, options, rateLimits, interactions, gateway);
    }

    /// <summary>Short reconnect delays: the protocol's waits, scaled down (no test waits on them by time).</summary>
    public static GatewaySettings FastGateway() => new()
    {
        ReconnectDelay = TimeSpan.FromMilliseconds(10),
        MaxReconnectDelay = TimeSpan.FromMilliseconds(50),
        InvalidSessionMinDelay = TimeSpan.FromMilliseconds(10),
        InvalidSessionMaxDelay = TimeSpan.FromMilliseconds(30),
    };

    /// <summary>Starts the gateway and waits until the fake has sent READY.</summary>
    public async Task StartGatewayAsync()
    {
        _gatewayRun = Task.Run(() => Gateway.RunAsync(_stop.Token));
        await Fake.Gateway.WaitAsync(e => e.Kind == "ready");
    }

    public static JsonObject SlashCommand(string name, string? hand = null, string? args = null, bool inGuild = true, string userId = "42", params string[] roles)
    {
        var options = new JsonArray();
        if (hand is not null) options.Add(new JsonObject { ["name"] = "hand", ["type"] = 3, ["value"] = hand });
        if (args is not null) options.Add(new JsonObject { ["name"] = "args", ["type"] = 3, ["value"] = args });
        return Interaction(2, new JsonObject { ["name"] = name, ["type"] = 1, ["options"] = options }, inGuild, userId, roles);
    }

    public static JsonObject ButtonTap(string customId, string messageId = "555", string userId = "42", params string[] roles)
    {
        var interaction = Interaction(3, new JsonObject { ["custom_id"] = customId, ["component_type"] = 2 }, true, userId, roles);
        interaction["message"] = new JsonObject { ["id"] = messageId, ["channel_id"] = "777" };
        return interaction;
    }

    public static JsonObject Autocomplete(string name, string typed) => Interaction(4, new JsonObject
    {
        ["name"] = name,
        ["options"] = new JsonArray { new JsonObject { ["name"] = "hand", ["type"] = 3, ["value"] = typed, ["focused"] = true } },
    }, true, "42", []);

    private static JsonObject Interaction(int type, JsonObject data, bool inGuild, string userId, string[] roles)
    {
        var user = new JsonObject { ["id"] = userId, ["username"] = $"user{userId}", ["global_name"] = $"User {userId}" };
        var interaction = new JsonObject { ["type"] = type, ["channel_id"] = "777", ["data"] = data, ["version"] = 1 };
        if (inGuild)
        {
            interaction["guild_id"] = "888";
            interaction["member"] = new JsonObject { ["user"] = user, ["roles"] = new JsonArray(roles.Select(r => (JsonNode)JsonValue.Create(r)).ToArray()) };
        }
        else
        {
            interaction["user"] = user;
        }
        return interaction;
    }

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        if (_gatewayRun is not null)
        {
            try { await _gatewayRun.WaitAsync(TimeSpan.FromSeconds(10)); }
            catch (Exception ex) when (ex is DiscordGatewayException or TimeoutException or OperationCanceledException) { }
        }
        await Fake.DisposeAsync();
        _stop.Dispose();
    }
}
