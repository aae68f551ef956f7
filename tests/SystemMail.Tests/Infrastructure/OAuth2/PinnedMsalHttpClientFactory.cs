using System.Security.Cryptography.X509Certificates;
using Microsoft.Identity.Client;

namespace SystemMail.Tests.Infrastructure.OAuth2;

/// <summary>
/// Hands MSAL one <see cref="HttpClient"/> that trusts only the pinned test certificate
/// (<c>ConfidentialClientApplicationBuilder.WithHttpClientFactory(...)</c>).
/// </summary>
/// <remarks>MSAL asks the factory for a client per request and expects a long-lived, shared one back.</remarks>
public sealed class PinnedMsalHttpClientFactory(X509Certificate2 pinned) : IMsalHttpClientFactory, IDisposable
{
    private readonly HttpClient _http = new(PinnedCertificate.CreateHandler(pinned));

    public HttpClient GetHttpClient() => _http;

    public void Dispose() => _http.Dispose();
}
