namespace SystemMail.Tests.Infrastructure.OAuth2;

/// <summary>An access token the test authorization server issued, as a resource server (e.g. a test SMTP server) would look it up.</summary>
/// <param name="Value">The opaque token the client sends, e.g. in XOAUTH2's <c>auth=Bearer ...</c>.</param>
/// <param name="ClientId">The application it was issued to.</param>
/// <param name="Username">The signed-in mailbox, or <see langword="null"/> for a client-credentials (app-only) token.</param>
/// <param name="Scope">The space-separated scopes granted.</param>
/// <param name="GrantType">The grant that produced it.</param>
/// <param name="ExpiresAt">When it stops being valid.</param>
public sealed record OAuth2IssuedAccessToken(
    string Value,
    string ClientId,
    string? Username,
    string Scope,
    string GrantType,
    DateTimeOffset ExpiresAt);
