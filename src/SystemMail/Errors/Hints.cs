namespace SystemMail;

/// <summary>
/// The one place the administrator-facing hints are made: one member per hint, whose name is the hint's stable id
/// and the name of its text in <c>Errors/Resources/Hints.resx</c> (and each translation beside it). The texts name
/// settings by their <see cref="SystemMailOptions"/> property names in every language, so a hint points at one field
/// however a host labels it.
/// </summary>
internal static class Hints
{
    public static Hint GoogleCredentials => new(nameof(GoogleCredentials));

    public static Hint GoogleAppPasswordRequired => new(nameof(GoogleAppPasswordRequired));

    public static Hint GoogleWebLoginRequired => new(nameof(GoogleWebLoginRequired));

    public static Hint Office365AuthUnsuccessful => new(nameof(Office365AuthUnsuccessful));

    public static Hint Office365SmtpAuthDisabled => new(nameof(Office365SmtpAuthDisabled));

    public static Hint Office365BasicAuthBlocked => new(nameof(Office365BasicAuthBlocked));

    public static Hint Office365OAuth2Refused => new(nameof(Office365OAuth2Refused));

    public static Hint Office365NotAuthenticated => new(nameof(Office365NotAuthenticated));

    public static Hint Office365SendAs(string from) => new(nameof(Office365SendAs), from);

    public static Hint SendGridCredentials => new(nameof(SendGridCredentials));

    public static Hint SendGridApiKeyRevoked => new(nameof(SendGridApiKeyRevoked));

    public static Hint SendGridSenderIdentity => new(nameof(SendGridSenderIdentity));

    public static Hint WrongCredentials => new(nameof(WrongCredentials));

    public static Hint AuthenticationRequired => new(nameof(AuthenticationRequired));

    public static Hint AuthNotOffered(string endpoint, SmtpSecurity security) => new(nameof(AuthNotOffered), endpoint)
    {
        // Most servers offer AUTH only after STARTTLS: on a plain connection the hint says so.
        Key = security == SmtpSecurity.None ? nameof(AuthNotOffered) + "WithoutTls" : nameof(AuthNotOffered),
    };

    public static Hint StartTlsNotOffered(string endpoint) => new(nameof(StartTlsNotOffered), endpoint);

    public static Hint StartTlsRequired => new(nameof(StartTlsRequired));

    public static Hint StartTlsRefused(string endpoint) => new(nameof(StartTlsRefused), endpoint);

    public static Hint ImplicitTlsAgainstPlainPort(string endpoint) => new(nameof(ImplicitTlsAgainstPlainPort), endpoint);

    public static Hint PlainAgainstImplicitTlsPort(string endpoint) => new(nameof(PlainAgainstImplicitTlsPort), endpoint);

    public static Hint CertificateUntrusted(string endpoint) => new(nameof(CertificateUntrusted), endpoint);

    public static Hint CertificateNameMismatch(string endpoint, string host, string certificateNames) => new(nameof(CertificateNameMismatch), endpoint, host, certificateNames);

    public static Hint CertificateChainUntrusted(string endpoint) => new(nameof(CertificateChainUntrusted), endpoint);

    public static Hint CertificateExpired(string endpoint) => new(nameof(CertificateExpired), endpoint);

    public static Hint ServerTlsTooOld(string endpoint) => new(nameof(ServerTlsTooOld), endpoint);

    public static Hint Tls13NotOffered(string endpoint) => new(nameof(Tls13NotOffered), endpoint);

    public static Hint TlsFailed(string endpoint) => new(nameof(TlsFailed), endpoint);

    public static Hint HostNotFound(string host) => new(nameof(HostNotFound), host);

    public static Hint ConnectionRefused(string endpoint) => new(nameof(ConnectionRefused), endpoint);

    public static Hint ConnectTimeout(string endpoint) => new(nameof(ConnectTimeout), endpoint);

    public static Hint GreetingTimeout(string endpoint) => new(nameof(GreetingTimeout), endpoint);

    public static Hint NotSmtpServer(string endpoint) => new(nameof(NotSmtpServer), endpoint);

    public static Hint DestinationNotAllowed(string endpoint) => new(nameof(DestinationNotAllowed), endpoint);

    public static Hint PoolBusy(string endpoint, TimeSpan waited) => new(
        nameof(PoolBusy),
        endpoint,
        Math.Ceiling(waited.TotalSeconds).ToString("0", System.Globalization.CultureInfo.InvariantCulture));

    public static Hint ServerRefusedConnection(string endpoint) => new(nameof(ServerRefusedConnection), endpoint);

    public static Hint EhloRefused(string endpoint) => new(nameof(EhloRefused), endpoint);

    public static Hint CommandTimeout(string endpoint) => new(nameof(CommandTimeout), endpoint);

    public static Hint ConnectionLost(string endpoint) => new(nameof(ConnectionLost), endpoint);

    public static Hint ProxyConnectionRefused(string proxyEndpoint) => new(nameof(ProxyConnectionRefused), proxyEndpoint);

    public static Hint ProxyHostNotFound(string proxyHost) => new(nameof(ProxyHostNotFound), proxyHost);

    public static Hint ProxyTimeout(string proxyEndpoint, string endpoint) => new(nameof(ProxyTimeout), proxyEndpoint, endpoint);

    public static Hint ProxyConnectionLost(string proxyEndpoint) => new(nameof(ProxyConnectionLost), proxyEndpoint);

    public static Hint ProxyCredentialsRequired(string proxyEndpoint) => new(nameof(ProxyCredentialsRequired), proxyEndpoint);

    public static Hint ProxyCredentialsRefused(string proxyEndpoint) => new(nameof(ProxyCredentialsRefused), proxyEndpoint);

    public static Hint ProxyRefusedTarget(string proxyEndpoint, string endpoint) => new(nameof(ProxyRefusedTarget), proxyEndpoint, endpoint);

    public static Hint ProxyProtocolMismatch(string proxyEndpoint, string proxyType) => new(nameof(ProxyProtocolMismatch), proxyEndpoint, proxyType);

    public static Hint ProxyTlsFailed(string proxyEndpoint) => new(nameof(ProxyTlsFailed), proxyEndpoint);

    public static Hint SenderRejected(string from) => new(nameof(SenderRejected), from);

    public static Hint RecipientRejected => new(nameof(RecipientRejected));

    public static Hint MessageRejected => new(nameof(MessageRejected));

    public static Hint Transient => new(nameof(Transient));

    public static Hint InvalidSettings => new(nameof(InvalidSettings));

    public static Hint StoredSecretNotReused(string settings) => new(nameof(StoredSecretNotReused), settings);

    public static Hint MailTemplateFailed => new(nameof(MailTemplateFailed));

    public static Hint UnknownProvider(string knownIds) => new(nameof(UnknownProvider), knownIds);

    public static Hint Unknown => new(nameof(Unknown));

    public static Hint UnknownFailure => new(nameof(UnknownFailure));

    public static Hint GenerateAccessToken => new(nameof(GenerateAccessToken));

    public static Hint RegenerateAccessToken => new(nameof(RegenerateAccessToken));

    public static Hint SaveBeforeGeneratingAccessToken => new(nameof(SaveBeforeGeneratingAccessToken));

    public static Hint OAuth2NotConfigured => new(nameof(OAuth2NotConfigured));

    public static Hint OAuth2ClientNotRegistered => new(nameof(OAuth2ClientNotRegistered));

    public static Hint TokenStoreUnavailable(string store) => new(nameof(TokenStoreUnavailable), store);

    public static Hint TokenStoreBusy => new(nameof(TokenStoreBusy));

    public static Hint ClientCredentialsRefused => new(nameof(ClientCredentialsRefused));

    public static Hint ServiceAccountRefused => new(nameof(ServiceAccountRefused));

    public static Hint TokenEndpointUnavailable(string host) => new(nameof(TokenEndpointUnavailable), host);

    public static Hint AuthorizationStateInvalid => new(nameof(AuthorizationStateInvalid));

    public static Hint AuthorizationRefused => new(nameof(AuthorizationRefused));

    public static Hint CodeExchangeFailed => new(nameof(CodeExchangeFailed));

    public static Hint OAuth2TokenRefused => new(nameof(OAuth2TokenRefused));

    public static Hint GraphTokenRejected => new(nameof(GraphTokenRejected));

    public static Hint GraphPermissionMissing => new(nameof(GraphPermissionMissing));

    public static Hint GraphMailboxExcludedByPolicy(string mailbox) => new(nameof(GraphMailboxExcludedByPolicy), mailbox);

    public static Hint GraphMailboxNotFound(string mailbox) => new(nameof(GraphMailboxNotFound), mailbox);

    public static Hint GraphInvalidRecipients => new(nameof(GraphInvalidRecipients));

    public static Hint GraphMailboxConcurrency => new(nameof(GraphMailboxConcurrency));

    public static Hint GraphSendingQuotaExceeded => new(nameof(GraphSendingQuotaExceeded));

    public static Hint GraphUnavailable => new(nameof(GraphUnavailable));

    public static Hint GraphRequestRefused => new(nameof(GraphRequestRefused));

    public static Hint GraphUnreachable(string endpoint) => new(nameof(GraphUnreachable), endpoint);

    public static Hint GraphThrottled(TimeSpan retryAfter) => new(
        nameof(GraphThrottled),
        Math.Ceiling(retryAfter.TotalSeconds).ToString("0", System.Globalization.CultureInfo.InvariantCulture));

    public static Hint RecipientNotBare => new(nameof(RecipientNotBare));

    public static Hint AddressTooLong => new(nameof(AddressTooLong));

    public static Hint AddressDirectionControl => new(nameof(AddressDirectionControl));

    public static Hint SmtpUtf8NotOffered(string endpoint) => new(nameof(SmtpUtf8NotOffered), endpoint);

    public static Hint LinkOriginNotAllowed(string linkOrigin, string productOrigin) => new(nameof(LinkOriginNotAllowed), linkOrigin, productOrigin);

    public static Hint RecipientLimited(int permitLimit, TimeSpan window) => new(
        nameof(RecipientLimited),
        permitLimit.ToString(System.Globalization.CultureInfo.InvariantCulture),
        window.ToString("c", System.Globalization.CultureInfo.InvariantCulture));

    public static Hint Throttled(TimeSpan retryAfter) => new(
        nameof(Throttled),
        Math.Ceiling(retryAfter.TotalSeconds).ToString("0", System.Globalization.CultureInfo.InvariantCulture));
}
