namespace SystemMail.Tests.OAuth2;

public sealed class OAuthErrorMappingTests
{
    public enum Failure
    {
        Transient,
        InvalidGrant,
        Other,
    }

    private static readonly OAuthSettings Oauth = SmtpSettings.Create(
        new SystemMailOptions
        {
            From = "alerts@contoso.com",
            Provider = "office365",
            Authentication = SmtpAuthenticationType.OAuth2,
            Username = "alerts@contoso.com",
            OAuth2 = new SmtpOAuthOptions { ClientId = "client-1", ClientSecret = "secret-1", TenantId = "contoso.onmicrosoft.com" },
        },
        new SmtpProviderCatalog([])).OAuth2!;

    private static OAuthProtocolException Refusal(Failure failure) => failure switch
    {
        Failure.Transient => OAuthProtocolException.FromErrorResponse("server_error", "try later", 503, null),
        Failure.InvalidGrant => OAuthProtocolException.FromErrorResponse("invalid_grant", "token revoked", 400, null),
        _ => OAuthProtocolException.FromErrorResponse("invalid_scope", "scope not allowed", 400, null),
    };

    [Theory]
    [InlineData(nameof(OAuthTokenOperation.CodeExchange), Failure.Transient, SystemMailErrorKind.Transient, "TokenEndpointUnavailable")]
    [InlineData(nameof(OAuthTokenOperation.CodeExchange), Failure.InvalidGrant, SystemMailErrorKind.Authentication, "CodeExchangeFailed")]
    [InlineData(nameof(OAuthTokenOperation.CodeExchange), Failure.Other, SystemMailErrorKind.Authentication, "CodeExchangeFailed")]
    [InlineData(nameof(OAuthTokenOperation.Refresh), Failure.Transient, SystemMailErrorKind.Transient, "TokenEndpointUnavailable")]
    [InlineData(nameof(OAuthTokenOperation.Refresh), Failure.InvalidGrant, SystemMailErrorKind.Authentication, "RegenerateAccessToken")]
    [InlineData(nameof(OAuthTokenOperation.Refresh), Failure.Other, SystemMailErrorKind.Authentication, "RegenerateAccessToken")]
    [InlineData(nameof(OAuthTokenOperation.ClientCredentials), Failure.Transient, SystemMailErrorKind.Transient, "TokenEndpointUnavailable")]
    [InlineData(nameof(OAuthTokenOperation.ClientCredentials), Failure.InvalidGrant, SystemMailErrorKind.Authentication, "ClientCredentialsRefused")]
    [InlineData(nameof(OAuthTokenOperation.ClientCredentials), Failure.Other, SystemMailErrorKind.Authentication, "ClientCredentialsRefused")]
    public void ToSystemMailException_OperationAndFailure_KindAndHint(string operation, Failure failure, SystemMailErrorKind kind, string hintId)
    {
        var refusal = Refusal(failure);

        var ex = OAuthErrorMapping.ToSystemMailException(Enum.Parse<OAuthTokenOperation>(operation), Oauth, refusal);

        Assert.Equal(kind, ex.Kind);
        Assert.Equal(hintId, ex.LocalizableHint?.Id);
        Assert.Same(refusal, ex.InnerException);
    }

    [Fact]
    public void ToSystemMailException_TransientFailure_NamesTheTokenEndpointAndStatus()
    {
        var ex = OAuthErrorMapping.ToSystemMailException(OAuthTokenOperation.Refresh, Oauth, Refusal(Failure.Transient));

        Assert.Contains("token endpoint login.microsoftonline.com", ex.Message, StringComparison.Ordinal);
        Assert.Contains("(503)", ex.Message, StringComparison.Ordinal);
        Assert.True(ex.IsTransient);
    }

    [Fact]
    public void ToSystemMailException_RefreshInvalidGrant_MustBeGeneratedAgainWithTheRefusal()
    {
        var refusal = Refusal(Failure.InvalidGrant);

        var ex = OAuthErrorMapping.ToSystemMailException(OAuthTokenOperation.Refresh, Oauth, refusal);

        Assert.Contains("must be generated again", ex.Message, StringComparison.Ordinal);
        Assert.Contains(OAuthErrorMapping.RefreshTokenRefusedReason(refusal), ex.Message, StringComparison.Ordinal);
        Assert.Contains("invalid_grant: token revoked", ex.Message, StringComparison.Ordinal);
    }
}
