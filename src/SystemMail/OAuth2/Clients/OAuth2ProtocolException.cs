namespace SystemMail;

/// <summary>What the token endpoint answered when it refused, normalized across MSAL and Google.Apis.Auth.</summary>
internal sealed class OAuth2ProtocolException : Exception
{
    public OAuth2ProtocolException(string? error, string? description, int? httpStatus, bool transient, Exception? innerException)
        : base($"{error ?? "error"}{(string.IsNullOrEmpty(description) ? string.Empty : ": " + description)}", innerException)
    {
        Error = error;
        Description = description;
        HttpStatus = httpStatus;
        IsTransient = transient;
    }

    public OAuth2ProtocolException()
        : this(null, null, null, false, null)
    {
    }

    public OAuth2ProtocolException(string message)
        : this(null, message, null, false, null)
    {
    }

    public OAuth2ProtocolException(string message, Exception innerException)
        : this(null, message, null, false, innerException)
    {
    }

    /// <summary>The OAuth2 error code, such as <c>invalid_grant</c>.</summary>
    public string? Error { get; }

    public string? Description { get; }

    public int? HttpStatus { get; }

    /// <summary>Whether the endpoint was unavailable (5xx, timeout, network) rather than refusing.</summary>
    public bool IsTransient { get; }

    public bool IsInvalidGrant => string.Equals(Error, "invalid_grant", StringComparison.Ordinal);
}
