using SystemMail;

namespace Microsoft.Extensions.DependencyInjection;

/// <summary>How SystemMail's HTTP client reaches the OAuth2 token endpoint: certificates, proxies, client certificates.</summary>
public static class SystemMailOAuthHttpBuilderExtensions
{
    /// <summary>
    /// Configures the <see cref="SocketsHttpHandler"/> that SystemMail's requests to the OAuth2 token endpoint go
    /// through, for example to trust a private certificate authority
    /// (<see cref="SocketsHttpHandler.SslOptions"/>' <c>RemoteCertificateValidationCallback</c>) or to set a proxy.
    /// </summary>
    /// <param name="builder">The SystemMail builder.</param>
    /// <param name="configure">Sets the handler; called once for each handler the client factory builds.</param>
    /// <returns>The same builder.</returns>
    /// <remarks>
    /// <see cref="SocketsHttpHandler.ConnectCallback"/> stays SystemMail's: it checks token endpoints that came from the
    /// settings page against <see cref="SystemMailOptions.AllowedDestinations"/> on every connection.
    /// </remarks>
    public static ISystemMailBuilder ConfigureOAuthHttpHandler(this ISystemMailBuilder builder, Action<SocketsHttpHandler> configure)
    {
        ArgumentNullException.ThrowIfNull(builder);
        ArgumentNullException.ThrowIfNull(configure);
        builder.Services.AddHttpClient(OAuthHttpClient.Name).UseSocketsHttpHandler((handler, services) =>
        {
            configure(handler);
            handler.ConnectCallback = services.GetRequiredService<OAuthEndpointGuard>().ConnectAsync;
        });
        return builder;
    }
}
