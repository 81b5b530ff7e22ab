namespace HandsBot.Core.Access;

/// <summary>What a caller may do. Ordered: each role includes the ones below it.</summary>
public enum Role
{
    None = 0,
    /// <summary>List, status, history.</summary>
    Viewer = 1,
    /// <summary>Viewer plus run, pause, resume, approve.</summary>
    Operator = 2,
    /// <summary>Everything.</summary>
    Admin = 3,
}
