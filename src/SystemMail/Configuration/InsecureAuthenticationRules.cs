namespace SystemMail;

/// <summary>
/// The rule for credentials on an unencrypted connection: with <see cref="SmtpSecurity.None"/>, a Basic password or an
/// OAuth2 access token crosses the network as plain text, so it is refused unless it stays on this machine or the host
/// accepts the risk with <see cref="SystemMailOptions.AllowInsecureAuthentication"/>.
/// </summary>
/// <remarks>
/// On this machine means the SMTP host is <c>localhost</c> or a loopback address and, through a proxy, the proxy is
/// too: a proxy elsewhere would carry the credentials over the network. The values are the effective ones of
/// <see cref="SmtpDestination"/>, the one definition of where a secret goes.
/// </remarks>
internal static class InsecureAuthenticationRules
{
    /// <summary>Gets whether settings with <paramref name="destination"/> send credentials unencrypted off this machine.</summary>
    public static bool SendsCredentialsInClear(SmtpDestination destination, SmtpAuthenticationType authentication) =>
        authentication is SmtpAuthenticationType.Basic or SmtpAuthenticationType.OAuth2 &&
        destination.Security == SmtpSecurity.None &&
        !(HostNames.IsLoopback(destination.Host) && (destination.Proxy is null || HostNames.IsLoopback(destination.Proxy.Host)));

    public static void Validate(SystemMailOptions options, ISmtpProviderTemplate template, ValidationErrors errors)
    {
        // Graph's token goes over https, or http on this machine alone: GraphRules names GraphBaseUrl otherwise.
        if (template.Transport == MailTransport.MicrosoftGraph ||
            options.AllowInsecureAuthentication || !SendsCredentialsInClear(SmtpDestination.Of(options, template), options.Authentication))
        {
            return;
        }

        var credentials = new ValidationMessage(options.Authentication == SmtpAuthenticationType.OAuth2 ? "CredentialsAccessToken" : "CredentialsPassword");
        var security = template.AllowsCustomConnection ? new ValidationMessage("SecurityNone") : new ValidationMessage("SecurityNoneOfTemplate", template.DisplayName);
        errors.Add(nameof(options.Security), "InsecureAuthentication", security, credentials);
    }
}
