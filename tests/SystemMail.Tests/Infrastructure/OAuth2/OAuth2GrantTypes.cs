namespace SystemMail.Tests.Infrastructure.OAuth2;

/// <summary>The <c>grant_type</c> values the token endpoint understands.</summary>
public static class OAuth2GrantTypes
{
    public const string AuthorizationCode = "authorization_code";
    public const string RefreshToken = "refresh_token";
    public const string ClientCredentials = "client_credentials";

    /// <summary>RFC 7523's JWT bearer grant, as Google's service accounts use it.</summary>
    public const string JwtBearer = "urn:ietf:params:oauth:grant-type:jwt-bearer";
}
