using System.Text;
using HandsBot.Core.Model;

namespace HandsBot.Webhooks.Verification;

/// <summary>
/// A hook's secrets, read from the environment variables its [webhook] secret_env names (never from
/// HAND.toml): one, or two during a rotation. Read per call, so the bytes live no longer than the call.
/// </summary>
internal static class HookSecrets
{
    public static IReadOnlyList<byte[]> Read(WebhookSpec spec)
    {
        var secrets = new List<byte[]>(spec.SecretEnv.Count);
        foreach (var name in spec.SecretEnv)
        {
            var value = Environment.GetEnvironmentVariable(name);
            if (!string.IsNullOrEmpty(value)) secrets.Add(Encoding.UTF8.GetBytes(value));
        }
        return secrets;
    }
}
