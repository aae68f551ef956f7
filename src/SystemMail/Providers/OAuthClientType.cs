namespace SystemMail;

/// <summary>Which OAuth2 library talks to a provider's authorization server.</summary>
internal enum OAuthClientType
{
    /// <summary>Any standard OAuth2 server, through Google.Apis.Auth's generic authorization-code flow.</summary>
    Generic = 0,

    /// <summary>Google, through Google.Apis.Auth.</summary>
    Google = 1,

    /// <summary>Microsoft Entra ID (Office 365), through MSAL (Microsoft.Identity.Client).</summary>
    Microsoft = 2,
}
