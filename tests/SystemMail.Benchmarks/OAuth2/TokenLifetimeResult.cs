namespace SystemMail.Benchmarks.OAuth2;

/// <summary>What the token endpoint and the SMTP server counted while the mails went out.</summary>
/// <param name="Mails">Mails sent.</param>
/// <param name="TokenLifetime">The access token's lifetime; every mail went out inside it.</param>
/// <param name="Elapsed">How long the mails took.</param>
/// <param name="TokenRequests">Requests to the token endpoint from the start, including the code exchange of "Generate access token".</param>
/// <param name="XOAuth2Logins">Successful XOAUTH2 logins at the SMTP server (one per pooled connection).</param>
/// <param name="Introspections">Token checks the SMTP server asked the authorization server for.</param>
internal sealed record TokenLifetimeResult(int Mails, TimeSpan TokenLifetime, TimeSpan Elapsed, int TokenRequests, int XOAuth2Logins, int Introspections);
