using HandsBot.Core.Manifest;
using HandsBot.Core.Model;
using HandsBot.Hosting;
using HandsBot.Webhooks;

namespace HandsBot.Cli;

/// <summary>
/// `handsbot hooks`: each webhook hand's URL (from [http] public_url) and the exact lines to set it up in
/// GitHub or to call it with curl. Secrets are referred to by their variable, never printed.
/// </summary>
internal static class HooksCommand
{
    public static Task<int> RunAsync(string? configPath, CliOutput output)
    {
        var (config, settings) = HandsBotCli.LoadConfig(configPath, output);
        var registry = BotHost.RegistrySettings(config, settings);
        var hooks = HandLoader.LoadAll(registry.HandsDirectory, registry.LoadContext)
            .Where(h => h.Manifest is { Trigger: TriggerKind.Webhook, Webhook: not null })
            .ToList();
        if (hooks.Count == 0)
        {
            output.Line($"No webhook hands in {config.Display(registry.HandsDirectory)}. A hand takes webhooks with trigger = \"webhook\" under [hand] and a [webhook] table.");
            return Task.FromResult(HandsBotCli.Ok);
        }

        var baseUrl = BaseUrl(settings.Http.PublicUrl, settings.Http.Listen, config.DisplayPath, output);
        foreach (var hand in hooks)
        {
            var spec = hand.Manifest!.Webhook!;
            var url = baseUrl + WebhooksServiceCollectionExtensions.PathFor(hand.Name);
            var secret = spec.SecretEnv.Count > 0 ? spec.SecretEnv[^1] : "HOOK_SECRET";
            output.Line($"{hand.Name}  {url}  ({spec.Scheme.ToString().ToLowerInvariant()}; secret in ${secret}){(hand.IsValid ? "" : "  — invalid: `handsbot validate` says why")}");
            foreach (var line in SetUp(spec, url, secret)) output.Line("  " + line);
            output.Line();
        }
        return Task.FromResult(HandsBotCli.Ok);
    }

    /// <summary>public_url; else the listen address (with a note); else a placeholder (with a note).</summary>
    private static string BaseUrl(string publicUrl, string listen, string configPath, CliOutput output)
    {
        if (publicUrl.Length > 0) return publicUrl.TrimEnd('/');
        if (listen.Length == 0)
        {
            output.Error($"[http] listen is not set in {configPath}: nothing serves these hooks yet. Set listen = \"http://0.0.0.0:8080\" and public_url = \"https://<your host>\".");
            return "https://<your host>";
        }
        output.Error($"[http] public_url is not set in {configPath}; showing the listen address. Set public_url to the address callers reach (e.g. behind your proxy).");
        return listen.TrimEnd('/');
    }

    private static IEnumerable<string> SetUp(WebhookSpec spec, string url, string secret)
    {
        const string Body = "body='{\"hello\":\"world\"}'";
        switch (spec.Scheme)
        {
            case WebhookScheme.Github:
                yield return "GitHub: repository Settings → Webhooks → Add webhook";
                yield return $"  Payload URL:  {url}";
                yield return "  Content type: application/json";
                yield return $"  Secret:       the value of ${secret}";
                yield return "  SSL verification: enable (serve the hook over https)";
                yield return "curl:";
                yield return "  " + Body;
                yield return $"  sig=$(printf '%s' \"$body\" | openssl dgst -sha256 -hmac \"${secret}\" | sed 's/^.* //')";
                yield return $"  curl -X POST '{url}' -H 'Content-Type: application/json' -H \"X-GitHub-Delivery: $(uuidgen)\" -H \"X-Hub-Signature-256: sha256=$sig\" --data-binary \"$body\"";
                break;
            case WebhookScheme.Hmac:
                yield return "curl:";
                yield return "  " + Body;
                yield return "  ts=$(date +%s)";
                yield return $"  sig=$(printf '%s.%s' \"$ts\" \"$body\" | openssl dgst -sha256 -hmac \"${secret}\" | sed 's/^.* //')";
                yield return $"  curl -X POST '{url}' -H 'Content-Type: application/json' -H \"X-Hook-Timestamp: $ts\" -H \"X-Hook-Signature: sha256=$sig\" -H \"Idempotency-Key: $(uuidgen)\" --data-binary \"$body\"";
                break;
            default:
                yield return "curl:";
                yield return $"  curl -X POST '{url}' -H 'Content-Type: application/json' -H \"Authorization: Bearer ${secret}\" -H \"Idempotency-Key: $(uuidgen)\" --data-binary '{{\"hello\":\"world\"}}'";
                break;
        }
    }
}
