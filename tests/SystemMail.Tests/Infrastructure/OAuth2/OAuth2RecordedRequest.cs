namespace SystemMail.Tests.Infrastructure.OAuth2;

/// <summary>One request the test authorization server answered, as the client sent it.</summary>
public sealed class OAuth2RecordedRequest
{
    public required OAuth2Endpoint Endpoint { get; init; }

    public required string Method { get; init; }

    /// <summary>The path and query string, e.g. <c>/contoso/oauth2/v2.0/token</c>.</summary>
    public required string PathAndQuery { get; init; }

    /// <summary>The <c>{tenant}</c> path segment for Microsoft-style routes, otherwise <see langword="null"/>.</summary>
    public string? Tenant { get; init; }

    /// <summary>The query parameters of a GET, or the form fields of a POST (last value wins).</summary>
    public required IReadOnlyDictionary<string, string> Parameters { get; init; }

    /// <summary>The request headers (joined with a comma when repeated).</summary>
    public required IReadOnlyDictionary<string, string> Headers { get; init; }

    /// <summary>How the client authenticated at the token endpoint: <c>client_secret_post</c>, <c>client_secret_basic</c> or <c>none</c>.</summary>
    public string? ClientAuthentication { get; init; }

    public required int StatusCode { get; init; }

    /// <summary>The OAuth2 <c>error</c> answered, if any.</summary>
    public string? Error { get; init; }

    /// <summary>The <c>grant_type</c> of a token request.</summary>
    public string? GrantType => Parameters.GetValueOrDefault("grant_type");

    public string? this[string parameter] => Parameters.GetValueOrDefault(parameter);
}
