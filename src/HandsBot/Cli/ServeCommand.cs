using HandsBot.Core.Engine;
using HandsBot.Core.Storage;
using HandsBot.Hosting;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

namespace HandsBot.Cli;

/// <summary>`handsbot serve`: runs the bot until Ctrl+C or SIGTERM.</summary>
internal static class ServeCommand
{
    public static async Task<int> RunAsync(string? configPath, CliOutput output, CancellationToken ct)
    {
        var (config, settings) = HandsBotCli.LoadConfig(configPath, output);
        StartupChecks.RequireHandsFolder(config, settings);
        await using var app = BotHost.Build(config, settings, BotHost.Mode.Serve);
        app.Services.GetRequiredService<StartupReport>().ReportConfig();
        // Open the store here, where a fault becomes one clear message; the engine's own start finds it ready.
        await StartupChecks.OpenStoreAsync(app.Services, config.Resolve(settings.Storage.Path), ct).ConfigureAwait(false);
        // A second `serve` on a single-process store is refused here, with the other process named.
        await app.Services.GetRequiredService<IStoreAdmin>().AcquireForServingAsync(app.Services.GetRequiredService<RunWorker>().Owner, ct).ConfigureAwait(false);
        // Tried before the host starts: a bind failure inside the host is logged with a trace by the host itself.
        CheckListenAddresses(settings.Http.Listen);
        try
        {
            await ((IHost)app).RunAsync(ct).ConfigureAwait(false);
        }
        catch (IOException ex) when (ListenFault(ex, settings.Http.Listen) is { } message)
        {
            throw new StartupException(message);
        }
        return HandsBotCli.Ok;
    }

    private static void CheckListenAddresses(string listen)
    {
        foreach (var url in listen.Split(';', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            var at = url.Replace("://*", "://0.0.0.0", StringComparison.Ordinal).Replace("://+", "://0.0.0.0", StringComparison.Ordinal);
            if (!Uri.TryCreate(at, UriKind.Absolute, out var uri)) continue;
            var address = uri.Host == "localhost" ? System.Net.IPAddress.Loopback
                : System.Net.IPAddress.TryParse(uri.Host.Trim('[', ']'), out var parsed) ? parsed : null;
            if (address is null) continue;
            var probe = new System.Net.Sockets.TcpListener(address, uri.Port);
            try
            {
                probe.Start();
            }
            catch (System.Net.Sockets.SocketException ex) when (ListenFault(new IOException(ex.Message, ex), url) is { } message)
            {
                throw new StartupException(message);
            }
            finally
            {
                probe.Stop();
            }
        }
    }

    /// <summary>Kestrel's bind failures in words that say what to change; anything else keeps its trace.</summary>
    private static string? ListenFault(IOException ex, string listen)
    {
        const string change = "or set [http] listen (HANDSBOT_HTTP__LISTEN) to another address";
        var socket = ex.InnerException as System.Net.Sockets.SocketException ?? ex.InnerException?.InnerException as System.Net.Sockets.SocketException;
        return socket?.SocketErrorCode switch
        {
            System.Net.Sockets.SocketError.AddressAlreadyInUse =>
                $"Cannot listen on {listen}: the port is already in use by another program. Stop that program, {change}.",
            System.Net.Sockets.SocketError.AccessDenied =>
                $"Cannot listen on {listen}: permission denied (ports below 1024 need privileges). Use a port above 1024, {change}.",
            System.Net.Sockets.SocketError.AddressNotAvailable =>
                $"Cannot listen on {listen}: this machine has no such address. Use 0.0.0.0, 127.0.0.1 or one of its addresses, {change}.",
            _ when ex.Message.Contains("address already in use", StringComparison.OrdinalIgnoreCase) =>
                $"Cannot listen on {listen}: the port is already in use by another program. Stop that program, {change}.",
            _ => null,
        };
    }
}
