namespace SystemMail;

/// <summary>A provider's OAuth2 endpoints and scopes for sending mail with XOAUTH2.</summary>
public sealed class SmtpOAuthMetadata
{
    /// <summary>Gets the authorization endpoint. May contain <c>{tenant}</c>, replaced with the configured tenant id.</summary>
    public required string AuthorizationEndpoint { get; init; }

    /// <summary>Gets the token endpoint. May contain <c>{tenant}</c>, replaced with the configured tenant id.</summary>
    public required string TokenEndpoint { get; init; }

    /// <summary>Gets the scopes requested for sending mail.</summary>
    public required IReadOnlyList<string> Scopes { get; init; }

    /// <summary>Gets extra query parameters for the authorization URL, such as Google's <c>access_type=offline</c>.</summary>
    public IReadOnlyDictionary<string, string> AuthorizationParameters { get; init; } = new Dictionary<string, string>();

    /// <summary>
    /// Gets the library that talks to the provider: MSAL for Office 365, Google.Apis.Auth for Google, a generic OAuth2
    /// client for every other template, a host's included. An implementation detail, set by the built-in templates.
    /// </summary>
    internal OAuthClientType ClientType { get; init; } = OAuthClientType.Generic;

    /// <summary>Gets the scopes for the client-credentials flow, or an empty list when the provider does not support it.</summary>
    public IReadOnlyList<string> ClientCredentialsScopes { get; init; } = [];

    /// <summary>Gets whether the endpoints contain <c>{tenant}</c> and so need a tenant id.</summary>
    public bool RequiresTenant =>
        AuthorizationEndpoint.Contains("{tenant}", StringComparison.Ordinal) ||
        TokenEndpoint.Contains("{tenant}", StringComparison.Ordinal);
}
