namespace SystemMail.Tests.Infrastructure.OAuth2;

/// <summary>An application registered with the test authorization server.</summary>
/// <param name="ClientId">The <c>client_id</c>.</param>
/// <param name="ClientSecret">The <c>client_secret</c>, accepted in the form body or through HTTP Basic.</param>
public sealed record OAuth2TestClient(string ClientId, string ClientSecret);
