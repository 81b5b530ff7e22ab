using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json.Nodes;
using HandsBot.Core.Chat;
using HandsBot.Discord.Interactions;
using HandsBot.Discord.Tests.Fakes;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using NSec.Cryptography;

namespace HandsBot.Discord.Tests;

public sealed class HttpEndpointTests : IAsyncLifetime
{
    private readonly Key _key = Key.Create(SignatureAlgorithm.Ed25519, new KeyCreationParameters { ExportPolicy = KeyExportPolicies.AllowPlaintextExport });
    private DiscordHarness _h = null!;
    private WebApplication _app = null!;
    private HttpClient _client = null!;

    public async Task InitializeAsync()
    {
        _h = await DiscordHarness.StartAsync(interactions: new InteractionSettings { AckDeadline = TimeSpan.FromMilliseconds(50) });
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseKestrel(o => o.Listen(IPAddress.Loopback, 0));
        builder.Logging.ClearProviders();
        builder.Services.AddSingleton(new DiscordSignatureVerifier(Convert.ToHexString(_key.PublicKey.Export(KeyBlobFormat.RawPublicKey))));
        builder.Services.AddSingleton(_h.Handler);
        _app = builder.Build();
        _app.MapDiscordInteractions();
        await _app.StartAsync();
        var address = _app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        _client = new HttpClient { BaseAddress = new Uri(address) };
    }

    public async Task DisposeAsync()
    {
        _client.Dispose();
        await _app.StopAsync();
        await _app.DisposeAsync();
        await _h.DisposeAsync();
        _key.Dispose();
    }

    private Task<HttpResponseMessage> PostAsync(JsonNode body, Func<byte[], byte[]>? forge = null)
    {
        var raw = Encoding.UTF8.GetBytes(body.ToJsonString());
        var timestamp = "1700000000";
        var signature = SignatureAlgorithm.Ed25519.Sign(_key, [.. Encoding.UTF8.GetBytes(timestamp), .. raw]);
        var request = new HttpRequestMessage(HttpMethod.Post, DiscordInteractionsEndpoint.Path) { Content = new ByteArrayContent(forge?.Invoke(raw) ?? raw) };
        request.Headers.Add("X-Signature-Ed25519", Convert.ToHexString(signature).ToLowerInvariant());
        request.Headers.Add("X-Signature-Timestamp", timestamp);
        request.Content.Headers.ContentType = new("application/json");
        return _client.SendAsync(request);
    }

    [Fact]
    public async Task Ping_WithValidSignature_IsAnsweredWithPong()
    {
        var response = await PostAsync(new JsonObject { ["type"] = 1, ["id"] = "1", ["token"] = "t" });

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(1, (await response.Content.ReadFromJsonAsync<JsonObject>())!["type"]!.GetValue<int>());
    }

    [Fact]
    public async Task ForgedBody_IsRejectedWith401AndNotHandled()
    {
        var response = await PostAsync(DiscordHarness.SlashCommand("run", "briefing"), raw => Encoding.UTF8.GetBytes(Encoding.UTF8.GetString(raw).Replace("briefing", "backup", StringComparison.Ordinal)));

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        Assert.Empty(_h.Commands.CommandCalls.Items);
    }

    [Theory]
    [InlineData(null)]
    [InlineData("zz")]
    [InlineData("00")]
    public async Task MissingOrMalformedSignature_IsRejectedWith401(string? signature)
    {
        var request = new HttpRequestMessage(HttpMethod.Post, DiscordInteractionsEndpoint.Path) { Content = new StringContent("""{"type":1}""") };
        if (signature is not null) request.Headers.Add("X-Signature-Ed25519", signature);
        request.Headers.Add("X-Signature-Timestamp", "1700000000");

        var response = await _client.SendAsync(request);

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
    }

    [Fact]
    public async Task Command_IsAnsweredInTheHttpResponse()
    {
        var response = await PostAsync(_h.Fake.CreateInteraction(DiscordHarness.SlashCommand("status", "oracle")));

        var body = (await response.Content.ReadFromJsonAsync<JsonObject>())!;
        Assert.Equal(4, body["type"]!.GetValue<int>());
        Assert.Equal("**status** oracle", body["data"]!["content"]!.GetValue<string>());
        Assert.Equal(["oracle"], Assert.Single(_h.Commands.CommandCalls.Items).Args);
        Assert.Empty(_h.Fake.Requests.Items);
    }

    [Fact]
    public async Task SlowCommand_IsDeferredInResponseThenCompletedByFollowUp()
    {
        var deferred = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        _h.Commands.OnCommand = async _ =>
        {
            await deferred.Task;
            return new ChatReply { Markdown = "Run finished" };
        };

        var interaction = _h.Fake.CreateInteraction(DiscordHarness.SlashCommand("run", "briefing"));
        var response = await PostAsync(interaction);
        var body = (await response.Content.ReadFromJsonAsync<JsonObject>())!;
        // The deferral went back in the HTTP response; Discord now counts it as acknowledged.
        _h.Fake.MarkAcknowledged(interaction["id"]!.GetValue<string>());
        deferred.SetResult();
        var edit = Assert.Single(await _h.Fake.Requests.WaitAsync(r => r.Method == "PATCH"));

        Assert.Equal(5, body["type"]!.GetValue<int>());
        Assert.Equal("Run finished", edit.Json!["content"]!.GetValue<string>());
        Assert.Empty(_h.Fake.Violations.Items);
    }

    [Fact]
    public void Verifier_RejectsMalformedPublicKeyWithClearError()
    {
        var error = Assert.Throws<ArgumentException>(() => new DiscordSignatureVerifier("not-hex"));

        Assert.Contains("public_key", error.Message, StringComparison.Ordinal);
    }
}
