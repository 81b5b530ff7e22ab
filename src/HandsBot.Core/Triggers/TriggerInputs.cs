using System.Text;
using System.Text.Json;
using HandsBot.Core.Json;
using HandsBot.Core.Model;

namespace HandsBot.Core.Triggers;

/// <summary>
/// What a webhook or event run gets from its trigger, as files and variables — data, never code: the
/// request body and the parent's output are written to files in the run's scratch folder (HAND_PAYLOAD,
/// HAND_PARENT_OUTPUT), and [webhook.params] values are set as variables. Nothing from them is ever
/// put into a command line.
/// </summary>
public static class TriggerInputs
{
    public const string PayloadFile = "payload";
    public const string ParentOutputFile = "parent-output";

    /// <summary>Writes the trigger's files into <paramref name="scratch"/> and adds their variables; returns the parameters left out (too large, or not text a variable can hold).</summary>
    public static async Task<IReadOnlyList<string>> AddAsync(HandManifest manifest, ExecutionRecord run, ExecutionRecord? parent, string scratch, IDictionary<string, string> env, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(manifest);
        ArgumentNullException.ThrowIfNull(run);
        ArgumentNullException.ThrowIfNull(env);
        var omitted = new List<string>();
        if (run.Payload is { } payload)
        {
            var file = Path.Combine(scratch, PayloadFile);
            await File.WriteAllBytesAsync(file, payload, ct).ConfigureAwait(false);
            env["HAND_PAYLOAD"] = file;
            env["HAND_PAYLOAD_TYPE"] = run.PayloadType ?? "application/octet-stream";
            if (manifest.Webhook is { Params.Count: > 0 } webhook) AddParams(webhook, payload, env, omitted);
        }
        if (run.Trigger == RunTrigger.Event && parent is not null)
        {
            var file = Path.Combine(scratch, ParentOutputFile);
            await File.WriteAllTextAsync(file, parent.Output ?? "", new UTF8Encoding(false), ct).ConfigureAwait(false);
            env["HAND_PARENT_RUN_ID"] = parent.Id;
            env["HAND_PARENT_HAND"] = parent.Hand;
            env["HAND_PARENT_OUTCOME"] = Text.Words.Outcome(parent.Outcome);
            env["HAND_PARENT_OUTPUT"] = file;
        }
        return omitted;
    }

    /// <summary>[webhook.params]: HAND_PARAM_&lt;NAME&gt; for each pointer that finds a value within the size limit.</summary>
    private static void AddParams(WebhookSpec webhook, byte[] payload, IDictionary<string, string> env, List<string> omitted)
    {
        JsonDocument doc;
        try
        {
            doc = JsonDocument.Parse(payload);
        }
        catch (JsonException)
        {
            // Not JSON: the hand still has the body in HAND_PAYLOAD; no pointer can find anything.
            return;
        }
        using (doc)
        {
            foreach (var param in webhook.Params)
            {
                if (!JsonPointer.TryResolve(doc.RootElement, param.Pointer, out var element)) continue;
                var value = JsonPointer.AsText(element);
                // A variable cannot hold a NUL, and the limit keeps one field from filling the environment.
                if (Encoding.UTF8.GetByteCount(value) > webhook.MaxParam || value.Contains('\0', StringComparison.Ordinal))
                {
                    omitted.Add(param.Name);
                    continue;
                }
                env["HAND_PARAM_" + param.Name.ToUpperInvariant()] = value;
            }
        }
    }
}
