namespace SystemMail.Tests.Infrastructure.OAuth2;

/// <summary>The <c>grant_type</c> values the token endpoint understands.</summary>
public static class OAuth2GrantTypes
{
    public const string AuthorizationCode = "authorization_code";
    public const string RefreshToken = "refresh_token";
    public const string ClientCredentials = "client_credentials";
}
