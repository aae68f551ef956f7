using System.Security.Cryptography.X509Certificates;

namespace SystemMail.Tests.Infrastructure.OAuth2;

/// <summary>
/// Google.Apis' HTTP factory trusting only the pinned test certificate, for
/// <c>AuthorizationCodeFlow.Initializer.HttpClientFactory</c>.
/// </summary>
/// <remarks>
/// Overriding <see cref="Google.Apis.Http.HttpClientFactory.CreateClientHandler"/> rather than <c>CreateHandler</c> keeps
/// Google's own pipeline on top (its back-off handler, redirects and decompression set after this returns).
/// </remarks>
public sealed class PinnedGoogleHttpClientFactory(X509Certificate2 pinned) : Google.Apis.Http.HttpClientFactory
{
    private readonly System.Net.Security.RemoteCertificateValidationCallback _validator = PinnedCertificate.CreateValidator(pinned);

    protected override HttpClientHandler CreateClientHandler()
    {
        var handler = base.CreateClientHandler();
        handler.ServerCertificateCustomValidationCallback = (request, certificate, chain, errors) => _validator(request, certificate, chain, errors);
        return handler;
    }
}
