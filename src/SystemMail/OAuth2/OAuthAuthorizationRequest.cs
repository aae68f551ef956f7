namespace SystemMail;

/// <summary>A started "Generate access token": the provider's consent page to send the administrator to.</summary>
public sealed class OAuthAuthorizationRequest
{
    /// <summary>Initializes a new instance.</summary>
    /// <param name="url">The provider's authorization URL, with <c>state</c> and the PKCE challenge.</param>
    /// <param name="state">The single-use <c>state</c> value the callback must bring back.</param>
    /// <param name="expiresAt">When the request stops being accepted.</param>
    public OAuthAuthorizationRequest(Uri url, string state, DateTimeOffset expiresAt)
    {
        Url = url;
        State = state;
        ExpiresAt = expiresAt;
    }

    /// <summary>Gets the provider's authorization URL to redirect the browser to.</summary>
    public Uri Url { get; }

    /// <summary>Gets the single-use <c>state</c> value.</summary>
    public string State { get; }

    /// <summary>Gets when the request stops being accepted.</summary>
    public DateTimeOffset ExpiresAt { get; }
}
