namespace SystemMail;

/// <summary>The name of the <see cref="System.Net.Http.IHttpClientFactory"/> client that talks to token endpoints.</summary>
internal static class OAuthHttpClient
{
    public const string Name = "SystemMail.OAuth2";
}
