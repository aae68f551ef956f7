namespace SystemMail;

/// <summary>
/// Where the host's own configuration and code point, taken before settings from the settings page are laid over
/// them: the one record of provenance. Settings that carry it came (at least in part) from the page, and each of their
/// destinations that differs from the one recorded here is checked by <see cref="DestinationPolicy"/>; settings
/// without it (<see cref="SystemMailOptions.OperatorDestinations"/> is <see langword="null"/>) are the host's alone.
/// </summary>
/// <remarks>
/// Taken by the saved settings' post-configure (when settings are saved) and by the unsaved settings of a form under
/// test, whichever runs first, so it always holds the configuration's values. Destinations compare by where a
/// connection goes: host and port, and for the OAuth2 endpoints scheme, host and port.
/// </remarks>
internal sealed class OperatorDestinations
{
    private readonly string? _smtp;
    private readonly string? _proxy;
    private readonly HashSet<string> _oauth2 = new(StringComparer.OrdinalIgnoreCase);

    private OperatorDestinations(SystemMailOptions options, ISmtpProviderCatalog catalog)
    {
        if (SmtpDestination.Of(options, catalog) is { } destination)
        {
            _smtp = Endpoint(destination.Host, destination.Port);
            _proxy = destination.Proxy is { } proxy ? Endpoint(proxy.Host, proxy.Port) : null;
        }

        if (catalog.TryGet(options.Provider, out var template))
        {
            var client = new SmtpDestination.OAuthClient(options.OAuth2 ?? new SmtpOAuthOptions(), template!.OAuth2);
            foreach (var endpoint in new[] { client.TokenEndpoint, client.AuthorizationEndpoint })
            {
                if (endpoint is not null)
                {
                    _oauth2.Add(Authority(endpoint));
                }
            }
        }
    }

    /// <summary>Records where <paramref name="options"/> point now, unless an earlier step recorded it already.</summary>
    public static void Capture(SystemMailOptions options, ISmtpProviderCatalog catalog) =>
        options.OperatorDestinations ??= new OperatorDestinations(options, catalog);

    public bool IsSmtpServer(string host, int port) => string.Equals(_smtp, Endpoint(host, port), StringComparison.OrdinalIgnoreCase);

    public bool IsProxy(string? host, int port) => string.Equals(_proxy, Endpoint(host, port), StringComparison.OrdinalIgnoreCase);

    public bool IsOAuth2Endpoint(Uri endpoint) => _oauth2.Contains(Authority(endpoint));

    private static string Endpoint(string? host, int port) => $"{host?.Trim().TrimEnd('.')}:{port}";

    private static string Authority(Uri endpoint) => $"{endpoint.Scheme}://{endpoint.IdnHost}:{endpoint.Port}";
}
