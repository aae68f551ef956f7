namespace SystemMail;

/// <summary>
/// The rules of the Microsoft Graph transport: the service root the access token and every mail go to
/// (<see cref="SystemMailOptions.GraphBaseUrl"/>) and the settings that do not apply to it.
/// </summary>
internal static class GraphRules
{
    /// <summary>Microsoft Graph's global service root.</summary>
    public static readonly Uri DefaultBaseUrl = new("https://graph.microsoft.com/");

    /// <summary>The service root in effect: the configured one, else <see cref="DefaultBaseUrl"/>; always ending with a slash.</summary>
    public static Uri EffectiveBaseUrl(SystemMailOptions options) =>
        options.GraphBaseUrl is { IsAbsoluteUri: true } configured
            ? new Uri(configured.GetLeftPart(UriPartial.Authority) + "/")
            : DefaultBaseUrl;

    public static void Validate(SystemMailOptions options, ISmtpProviderTemplate? template, ValidationErrors errors)
    {
        if (options.GraphBaseUrl is { } url)
        {
            // Never echoes the value: one such as 'https://user:password@host' carries a secret.
            if (!url.IsAbsoluteUri || !OAuthRules.IsSecureEndpoint(url))
            {
                errors.Add(nameof(options.GraphBaseUrl), "GraphBaseUrlNotSecure");
            }
            else if (!string.IsNullOrEmpty(url.UserInfo) || !string.IsNullOrEmpty(url.Query) || !string.IsNullOrEmpty(url.Fragment) || url.AbsolutePath != "/")
            {
                errors.Add(nameof(options.GraphBaseUrl), "GraphBaseUrlNotServiceRoot");
            }
        }

        if (template?.Transport == MailTransport.MicrosoftGraph && options.Proxy is { Host: { } proxyHost } && !string.IsNullOrWhiteSpace(proxyHost))
        {
            errors.Add("Proxy.Host", "GraphProxyNotApplicable", template.DisplayName, GraphHttpClient.Name);
        }
    }
}
