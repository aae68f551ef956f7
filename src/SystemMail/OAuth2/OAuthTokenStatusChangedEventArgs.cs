namespace SystemMail;

/// <summary>The token status changed: generated, refreshed, cleared, or must be generated again.</summary>
public sealed class OAuthTokenStatusChangedEventArgs : EventArgs
{
    /// <summary>Initializes a new instance.</summary>
    /// <param name="status">The new status.</param>
    public OAuthTokenStatusChangedEventArgs(OAuthTokenStatus status)
    {
        Status = status;
    }

    /// <summary>Gets the new status.</summary>
    public OAuthTokenStatus Status { get; }
}
