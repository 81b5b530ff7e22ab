using System.Net;
using System.Security.Cryptography;
using System.Text;
using HandsBot.Core.Configuration;
using HandsBot.Core.Engine;
using HandsBot.Core.Manifest;
using HandsBot.Core.Model;
using HandsBot.Core.Registry;
using HandsBot.Core.Storage;
using HandsBot.Storage.Sqlite;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;

namespace HandsBot.Webhooks.Tests;

/// <summary>
/// The real endpoint on Kestrel (127.0.0.1, port 0) over the real engine and a real SQLite file, with a
/// fake clock: what `serve` runs with [http] listen set, minus the chat platforms.
/// </summary>
internal sealed class HookHost : IAsyncDisposable
{
    public static readonly DateTimeOffset Start = new(2026, 6, 1, 10, 0, 0, TimeSpan.Zero);

    private readonly WebApplication _app;

    private HookHost(WebApplication app, string folder, FakeTimeProvider time)
    {
        _app = app;
        Folder = folder;
        Time = time;
        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        Client = new HttpClient { BaseAddress = new Uri(address) };
    }

    public string Folder { get; }
    public FakeTimeProvider Time { get; }
    public HttpClient Client { get; }
    public IHandsStore Store => _app.Services.GetRequiredService<IHandsStore>();
    public IHandsEngine Engine => _app.Services.GetRequiredService<IHandsEngine>();
    public Audit.WebhookAudit Audit => _app.Services.GetRequiredService<Audit.WebhookAudit>();

    /// <summary>A folder with hands/ and data/; add hands with <see cref="AddHand"/> before <see cref="StartAsync"/>.</summary>
    public static string NewFolder()
    {
        var path = Path.Combine(Path.GetTempPath(), "handsbot-hooks", Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(Path.Combine(path, "hands"));
        Directory.CreateDirectory(Path.Combine(path, "data"));
        return path;
    }

    public static string AddHand(string folder, string name, string toml, params (string File, string Content)[] files)
    {
        var dir = Path.Combine(folder, "hands", name);
        Directory.CreateDirectory(dir);
        File.WriteAllText(Path.Combine(dir, "HAND.toml"), toml);
        foreach (var (file, content) in files)
        {
            var path = Path.Combine(dir, file);
            File.WriteAllText(path, content);
            if (!OperatingSystem.IsWindows()) File.SetUnixFileMode(path, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        }
        return dir;
    }

    public static async Task<HookHost> StartAsync(string folder, FakeTimeProvider? time = null)
    {
        time ??= new FakeTimeProvider(Start);
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseKestrel(o => o.Listen(IPAddress.Loopback, 0));
        builder.Logging.ClearProviders();
        var services = builder.Services;
        services.AddSingleton<TimeProvider>(time);
        services.AddSingleton(Options.Create(new AccessOptions()));
        services.AddSingleton(Options.Create(new ChannelsOptions()));
        services.AddSingleton(Options.Create(new OutputOptions()));
        services.AddSingleton(Options.Create(new SchedulerOptions { MaxConcurrentRuns = 4, ShutdownGraceSeconds = 0 }));
        services.AddSingleton(Options.Create(new StorageOptions()));
        services.AddSqliteStore(Path.Combine(folder, "data", "handsbot.db"));
        services.AddHandsBotEngine(
            new HandRegistrySettings(Path.Combine(folder, "hands"), new HandLoadContext { DisplayRoot = folder }),
            new EnginePaths(folder, Path.Combine(folder, "data")),
            scheduling: false);
        services.AddWebhooks();
        var app = builder.Build();
        app.MapHandWebhooks();
        await app.StartAsync();
        return new HookHost(app, folder, time);
    }

    public static string Hex(byte[] mac) => "sha256=" + Convert.ToHexString(mac).ToLowerInvariant();

    /// <summary>A call signed the GitHub way.</summary>
    public static HttpRequestMessage Github(string hand, byte[] body, string secret, string? delivery = null)
    {
        var request = Post(hand, body);
        request.Headers.Add("X-Hub-Signature-256", Hex(HMACSHA256.HashData(Encoding.UTF8.GetBytes(secret), body)));
        request.Headers.Add("X-GitHub-Delivery", delivery ?? Guid.NewGuid().ToString());
        request.Headers.Add("X-GitHub-Event", "push");
        return request;
    }

    /// <summary>A call signed the hmac way at <paramref name="at"/>.</summary>
    public static HttpRequestMessage Hmac(string hand, byte[] body, string secret, DateTimeOffset at, string? idempotencyKey = null)
    {
        var request = Post(hand, body);
        var timestamp = at.ToUnixTimeSeconds().ToString(System.Globalization.CultureInfo.InvariantCulture);
        request.Headers.Add("X-Hook-Timestamp", timestamp);
        request.Headers.Add("X-Hook-Signature", Hex(HMACSHA256.HashData(Encoding.UTF8.GetBytes(secret), (byte[])[.. Encoding.ASCII.GetBytes(timestamp + "."), .. body])));
        if (idempotencyKey is not null) request.Headers.Add("Idempotency-Key", idempotencyKey);
        return request;
    }

    public static HttpRequestMessage Post(string hand, byte[] body, string path = "")
    {
        var request = new HttpRequestMessage(HttpMethod.Post, "/hooks/" + hand + path) { Content = new ByteArrayContent(body) };
        request.Content.Headers.ContentType = new("application/json");
        return request;
    }

    public async Task<IReadOnlyList<ExecutionRecord>> RunsOf(string hand) => await Store.ListExecutionsAsync(hand, 100);

    /// <summary>Waits (up to 30 s) until the run has an outcome.</summary>
    public async Task<ExecutionRecord> FinishedAsync(string id)
    {
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(30);
        while (true)
        {
            if (await Store.GetExecutionAsync(id) is { Outcome: not null } run) return run;
            if (DateTime.UtcNow > deadline) throw new TimeoutException("run " + id + " did not finish");
            await Task.Delay(10);
        }
    }

    public async ValueTask DisposeAsync()
    {
        Client.Dispose();
        await _app.StopAsync();
        await _app.DisposeAsync();
        try
        {
            Directory.Delete(Folder, recursive: true);
        }
        catch (IOException)
        {
        }
    }
}
