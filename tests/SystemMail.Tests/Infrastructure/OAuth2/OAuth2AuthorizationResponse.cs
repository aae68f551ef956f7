using Microsoft.AspNetCore.WebUtilities;

namespace SystemMail.Tests.Infrastructure.OAuth2;

/// <summary>What the authorization endpoint redirected the browser to: a code, or an error.</summary>
/// <param name="Location">The full redirect, i.e. <c>redirect_uri</c> with the answer in its query.</param>
public sealed record OAuth2AuthorizationResponse(Uri Location, string? Code, string? State, string? Error, string? ErrorDescription)
{
    /// <summary>Reads <c>code</c>, <c>state</c>, <c>error</c> and <c>error_description</c> from a redirect's query string.</summary>
    public static OAuth2AuthorizationResponse Parse(Uri location)
    {
        ArgumentNullException.ThrowIfNull(location);
        var query = QueryHelpers.ParseQuery(location.Query);
        string? Get(string name) => query.TryGetValue(name, out var value) ? value.ToString() : null;
        return new OAuth2AuthorizationResponse(location, Get("code"), Get("state"), Get("error"), Get("error_description"));
    }
}
