namespace SystemMail.Tests.Infrastructure.OAuth2;

/// <summary>Start-up settings of <see cref="OAuth2TestServer"/>; the knobs that tests turn at run time live on the server itself.</summary>
public sealed class OAuth2TestServerOptions
{
    public const string DefaultTenantId = "11111111-2222-3333-4444-555555555555";
    public const string DefaultClientId = "systemmail-test-client";
    public const string DefaultClientSecret = "systemmail-test-secret";

    /// <summary>The registered applications; by default one, <see cref="DefaultClientId"/> / <see cref="DefaultClientSecret"/>.</summary>
    public IList<OAuth2TestClient> Clients { get; } = [new OAuth2TestClient(DefaultClientId, DefaultClientSecret)];

    /// <summary>Service accounts whose signed assertions the token endpoint accepts (JWT bearer grant); none by default.</summary>
    public IList<OAuth2TestServiceAccount> ServiceAccounts { get; } = [];

    /// <summary>The tenant used in <see cref="OAuth2TestServer.MicrosoftAuthority"/> and for <c>tid</c> when a request names <c>common</c> or <c>organizations</c>.</summary>
    public string TenantId { get; set; } = DefaultTenantId;

    /// <summary>The account the simulated consent signs in; changeable later through <see cref="OAuth2TestServer.User"/>.</summary>
    public OAuth2TestUser User { get; set; } = OAuth2TestUser.Default;

    /// <summary>The first value of <see cref="OAuth2TestServer.AccessTokenLifetime"/>.</summary>
    public TimeSpan AccessTokenLifetime { get; set; } = TimeSpan.FromHours(1);

    /// <summary>The first value of <see cref="OAuth2TestServer.RotateRefreshTokens"/>.</summary>
    public bool RotateRefreshTokens { get; set; } = true;

    /// <summary>How long a refresh token lives; <see langword="null"/> (the default) for ever. When set, token answers carry <c>refresh_token_expires_in</c>.</summary>
    public TimeSpan? RefreshTokenLifetime { get; set; }

    /// <summary>How long an authorization code may wait to be exchanged.</summary>
    public TimeSpan AuthorizationCodeLifetime { get; set; } = TimeSpan.FromMinutes(10);

    /// <summary>When <see langword="true"/>, an authorization request without <c>code_challenge</c> is refused with <c>invalid_request</c>.</summary>
    public bool RequirePkce { get; set; }

    /// <summary>The clock for token expiry, so a test can age tokens with a fake clock. Delays and the HTTP stack keep real time.</summary>
    public TimeProvider TimeProvider { get; set; } = TimeProvider.System;

    /// <summary>Gets or sets the certificate the server presents (it takes ownership); a fresh self-signed one when <see langword="null"/>.</summary>
    public System.Security.Cryptography.X509Certificates.X509Certificate2? Certificate { get; set; }
}
