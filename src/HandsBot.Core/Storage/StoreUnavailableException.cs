namespace HandsBot.Core.Storage;

/// <summary>
/// The store cannot be used for a reason the operator can fix (a read-only or missing folder, a full disk,
/// a database file deleted, replaced or locked by another process). The message is meant for people: it
/// names the file and what to do, and carries no stack trace worth showing.
/// </summary>
public sealed class StoreUnavailableException : Exception
{
    public StoreUnavailableException(string message, bool transient, Exception? inner = null) : base(message, inner) => Transient = transient;

    public StoreUnavailableException() : this("The store is unavailable.", transient: true) { }

    public StoreUnavailableException(string message) : this(message, transient: true) { }

    public StoreUnavailableException(string message, Exception inner) : this(message, transient: true, inner) { }

    /// <summary>True when retrying later may succeed (disk full, busy); false when a person must act first.</summary>
    public bool Transient { get; }
}
