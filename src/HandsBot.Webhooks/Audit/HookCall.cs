namespace HandsBot.Webhooks.Audit;

/// <summary>One call to a hook as the audit log records it: the hook, the caller's address, the delivery id, and how it was answered.</summary>
internal sealed record HookCall(string Hook, string Source, string? DeliveryId, int Status, string Outcome, bool Accepted)
{
    /// <summary>The run it started or found (accepted calls).</summary>
    public string? RunId { get; init; }
}
