namespace HandsBot.Core.Access;

/// <summary>What a command or button needs from its caller.</summary>
public enum CommandPermission
{
    /// <summary>Listing hands, /status, /history, /approvals (the listing).</summary>
    View,
    /// <summary>Running, pausing, resuming and deciding approvals.</summary>
    Operate,
    /// <summary>Administrative actions.</summary>
    Administer,
}

/// <summary>The outcome of an authorisation check; <see cref="Reason"/> explains a refusal to the caller.</summary>
public sealed record AccessDecision(bool Allowed, string? Reason)
{
    public static AccessDecision Allow { get; } = new(true, null);

    public static AccessDecision Deny(string reason) => new(false, reason);
}
