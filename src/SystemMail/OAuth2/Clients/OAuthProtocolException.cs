namespace SystemMail;

/// <summary>What the token endpoint answered when it refused, normalized across MSAL and Google.Apis.Auth.</summary>
/// <remarks>
/// The clients say what the provider's library reported (<see cref="FromErrorResponse"/>, <see cref="Unavailable"/>,
/// <see cref="InvalidGrant"/>); whether that is transient is decided here, once, for every provider.
/// </remarks>
internal sealed class OAuthProtocolException : Exception
{
    /// <summary>The OAuth2 error for a refresh token or authorization code the provider no longer accepts (RFC 6749 section 5.2).</summary>
    public const string InvalidGrantError = "invalid_grant";

    /// <summary>The OAuth2 error for a client the provider does not accept (wrong id or secret).</summary>
    public const string InvalidClientError = "invalid_client";

    public OAuthProtocolException()
        : this(null, null, null, false, null)
    {
    }

    public OAuthProtocolException(string message)
        : this(null, message, null, false, null)
    {
    }

    public OAuthProtocolException(string message, Exception innerException)
        : this(null, message, null, false, innerException)
    {
    }

    private OAuthProtocolException(string? error, string? description, int? httpStatus, bool transient, Exception? innerException)
        : base($"{error ?? "error"}{(string.IsNullOrEmpty(description) ? string.Empty : ": " + description)}", innerException)
    {
        Error = error;
        Description = description;
        HttpStatus = httpStatus;
        IsTransient = transient;
    }

    /// <summary>The OAuth2 error code, such as <c>invalid_grant</c>.</summary>
    public string? Error { get; }

    public string? Description { get; }

    public int? HttpStatus { get; }

    /// <summary>Whether the endpoint was unavailable (5xx, 429, timeout, network) rather than refusing.</summary>
    public bool IsTransient { get; }

    public bool IsInvalidGrant => string.Equals(Error, InvalidGrantError, StringComparison.Ordinal);

    /// <summary>The token endpoint's error answer (or the library's report of one), classified by <see cref="IsTransientAnswer"/>.</summary>
    /// <param name="error">The OAuth2 error code, when there was one.</param>
    /// <param name="description">The error description.</param>
    /// <param name="httpStatus">The HTTP status, or <see langword="null"/> when no HTTP answer came.</param>
    /// <param name="innerException">The library's exception.</param>
    public static OAuthProtocolException FromErrorResponse(string? error, string? description, int? httpStatus, Exception? innerException) =>
        new(error, description, httpStatus, IsTransientAnswer(error, httpStatus), innerException);

    /// <summary>No usable answer (network failure, timeout): always transient.</summary>
    public static OAuthProtocolException Unavailable(string? error, string? description, int? httpStatus, Exception? innerException) =>
        new(error, description, httpStatus, transient: true, innerException);

    /// <summary>The grant is gone (revoked, expired, rotated away, or never stored): a new consent is needed; never transient.</summary>
    public static OAuthProtocolException InvalidGrant(string? description, int? httpStatus, Exception? innerException) =>
        new(InvalidGrantError, description, httpStatus, transient: false, innerException);

    /// <summary>
    /// The one rule for every provider: a refusal of the grant or the client (<c>invalid_grant</c>, <c>invalid_client</c>)
    /// is never transient, whatever the status; otherwise 5xx, 429, or no HTTP answer at all means the endpoint was
    /// unavailable and asking again later may work; any other answer is a refusal.
    /// </summary>
    internal static bool IsTransientAnswer(string? error, int? httpStatus) =>
        !string.Equals(error, InvalidGrantError, StringComparison.Ordinal) &&
        !string.Equals(error, InvalidClientError, StringComparison.Ordinal) &&
        httpStatus is null or >= 500 or 429;
}
