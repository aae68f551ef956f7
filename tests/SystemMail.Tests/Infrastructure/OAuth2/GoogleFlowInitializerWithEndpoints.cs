using Google.Apis.Auth.OAuth2.Flows;

namespace SystemMail.Tests.Infrastructure.OAuth2;

/// <summary>
/// Points <see cref="GoogleAuthorizationCodeFlow"/> (and <see cref="PkceGoogleAuthorizationCodeFlow"/>) at other endpoints.
/// The public initializer fixes Google's URLs; the one taking URLs is <c>protected</c> (documented as meant for
/// Google's own testing), hence this subclass.
/// </summary>
public sealed class GoogleFlowInitializerWithEndpoints(string authorizationServerUrl, string tokenServerUrl, string revokeTokenUrl)
    : GoogleAuthorizationCodeFlow.Initializer(authorizationServerUrl, tokenServerUrl, revokeTokenUrl);
