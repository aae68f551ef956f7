using Google.Apis.Auth.OAuth2.Flows;
using Google.Apis.Auth.OAuth2.Requests;
using Google.Apis.Auth.OAuth2.Responses;

namespace SystemMail.Tests.Infrastructure.OAuth2;

/// <summary>
/// Google.Apis' generic <see cref="AuthorizationCodeFlow"/> with PKCE (S256), for non-Google providers.
/// Google.Apis.Auth 1.78 ships PKCE only in <see cref="PkceGoogleAuthorizationCodeFlow"/>; the generic flow's
/// token-request hooks are <c>protected internal</c>, so a subclass can add <c>code_verifier</c>.
/// </summary>
public sealed class PkceAuthorizationCodeFlow(AuthorizationCodeFlow.Initializer initializer)
    : AuthorizationCodeFlow(initializer), IPkceAuthorizationCodeFlow
{
    public AuthorizationCodeRequestUrl CreateAuthorizationCodeRequest(string redirectUri, out string codeVerifier)
    {
        codeVerifier = Pkce.CreateVerifier();
        return new PkceAuthorizationCodeRequestUrl(new Uri(AuthorizationServerUrl))
        {
            ClientId = ClientSecrets.ClientId,
            Scope = string.Join(' ', Scopes),
            RedirectUri = redirectUri,
            CodeChallenge = Pkce.CreateS256Challenge(codeVerifier),
            CodeChallengeMethod = "S256",
        };
    }

    public Task<TokenResponse> ExchangeCodeForTokenAsync(string userId, string code, string codeVerifier, string redirectUri, CancellationToken taskCancellationToken)
    {
        var request = CreateAuthorizationCodeTokenRequest(userId, code, redirectUri);
        request.CodeVerifier = codeVerifier;
        return ExchangeCodeForTokenAsync(userId, request, taskCancellationToken);
    }
}
