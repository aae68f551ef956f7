using Google.Apis.Http;

namespace SystemMail;

/// <summary>
/// Gives Google.Apis.Auth its HTTP handler from the host's <see cref="System.Net.Http.IHttpClientFactory"/>
/// (client <c>SystemMail.OAuth2</c>), so proxies, certificates and resilience the host configures apply.
/// </summary>
internal sealed class GoogleHttpClientFactory : HttpClientFactory
{
    private readonly IHttpMessageHandlerFactory _handlers;

    public GoogleHttpClientFactory(IHttpMessageHandlerFactory handlers)
    {
        _handlers = handlers;
    }

    protected override HttpMessageHandler CreateHandler(CreateHttpClientArgs args) => _handlers.CreateHandler(OAuthHttpClient.Name);
}
