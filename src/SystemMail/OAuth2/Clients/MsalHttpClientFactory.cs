using Microsoft.Identity.Client;

namespace SystemMail;

/// <summary>Gives MSAL its HTTP client from the host's <see cref="IHttpClientFactory"/> (client <c>SystemMail.OAuth2</c>).</summary>
internal sealed class MsalHttpClientFactory : IMsalHttpClientFactory
{
    private readonly IHttpClientFactory _factory;

    public MsalHttpClientFactory(IHttpClientFactory factory)
    {
        _factory = factory;
    }

    public HttpClient GetHttpClient() => _factory.CreateClient(OAuthHttpClient.Name);
}
