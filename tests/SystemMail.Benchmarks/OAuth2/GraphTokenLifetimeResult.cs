namespace SystemMail.Benchmarks.OAuth2;

/// <summary>The Microsoft Graph token-lifetime figure: how many token requests many mails through Graph cost.</summary>
/// <param name="Mails">Mails sent, all accepted by the Graph endpoint.</param>
/// <param name="TokenLifetime">The access token's lifetime; every mail went out inside it.</param>
/// <param name="Elapsed">How long the sends took.</param>
/// <param name="TokenRequests">Requests that reached the token endpoint (client credentials).</param>
/// <param name="GraphRequests">Requests that reached the Graph endpoint (one per mail when none is refused).</param>
internal sealed record GraphTokenLifetimeResult(int Mails, TimeSpan TokenLifetime, TimeSpan Elapsed, int TokenRequests, int GraphRequests);
