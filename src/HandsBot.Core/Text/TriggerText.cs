using HandsBot.Core.Model;
using HandsBot.Core.Scheduling;

namespace HandsBot.Core.Text;

/// <summary>What starts a hand, in words, for /hands, /status and `handsbot list`.</summary>
public static class TriggerText
{
    /// <summary>"every 15 minutes", "manual only", "webhook", "webhook · every day at 07:00 UTC", "after fetch-prices on success".</summary>
    public static string Describe(HandManifest? manifest)
    {
        if (manifest is null) return ScheduleDescriber.Describe(null);
        var schedule = manifest.Schedule is { } s ? ScheduleDescriber.Describe(s) : null;
        var trigger = manifest.Trigger switch
        {
            TriggerKind.Webhook => "webhook",
            TriggerKind.Event when manifest.Event is { } e => After(e),
            _ => null,
        };
        return (trigger, schedule) switch
        {
            (null, null) => ScheduleDescriber.Describe(null),
            (null, { } only) => only,
            ({ } t, null) => t,
            ({ } t, { } also) => $"{t} · {also}",
        };
    }

    /// <summary>"after fetch-prices on success", "after a or b on failure or timeout, if the output matches ^changed".</summary>
    public static string After(EventTriggerSpec spec)
    {
        ArgumentNullException.ThrowIfNull(spec);
        var text = $"after {string.Join(" or ", spec.After)} on {string.Join(" or ", spec.On.Select(o => o.ToString().ToLowerInvariant()))}";
        if (spec.OutputMatch is { } pattern) text += $", if the output matches {pattern}";
        if (spec.OutputPointer is { } pointer) text += $", if {pointer} = {spec.OutputEqualsJson}";
        return text;
    }
}
