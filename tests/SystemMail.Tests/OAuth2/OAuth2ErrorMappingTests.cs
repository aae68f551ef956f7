namespace SystemMail.Tests.OAuth2;

public sealed class OAuth2ErrorMappingTests
{
    public enum Failure
    {
        Transient,
        InvalidGrant,
        Other,
    }

    private static readonly OAuth2Settings Oauth = SmtpSettings.Create(
        new SystemMailOptions
        {
            From = "alerts@contoso.com",
            Provider = "office365",
            Authentication = SmtpAuthenticationType.OAuth2,
            Username = "alerts@contoso.com",
            OAuth2 = new SmtpOAuth2Options { ClientId = "client-1", ClientSecret = "secret-1", TenantId = "contoso.onmicrosoft.com" },
        },
        new SmtpProviderCatalog([])).OAuth2!;

    private static OAuth2ProtocolException Refusal(Failure failure) => failure switch
    {
        Failure.Transient => OAuth2ProtocolException.FromErrorResponse("server_error", "try later", 503, null),
        Failure.InvalidGrant => OAuth2ProtocolException.FromErrorResponse("invalid_grant", "token revoked", 400, null),
        _ => OAuth2ProtocolException.FromErrorResponse("invalid_scope", "scope not allowed", 400, null),
    };

    [Theory]
    [InlineData(nameof(OAuth2TokenOperation.CodeExchange), Failure.Transient, SystemMailErrorKind.Transient, "TokenEndpointUnavailable")]
    [InlineData(nameof(OAuth2TokenOperation.CodeExchange), Failure.InvalidGrant, SystemMailErrorKind.Authentication, "CodeExchangeFailed")]
    [InlineData(nameof(OAuth2TokenOperation.CodeExchange), Failure.Other, SystemMailErrorKind.Authentication, "CodeExchangeFailed")]
    [InlineData(nameof(OAuth2TokenOperation.Refresh), Failure.Transient, SystemMailErrorKind.Transient, "TokenEndpointUnavailable")]
    [InlineData(nameof(OAuth2TokenOperation.Refresh), Failure.InvalidGrant, SystemMailErrorKind.Authentication, "RegenerateAccessToken")]
    [InlineData(nameof(OAuth2TokenOperation.Refresh), Failure.Other, SystemMailErrorKind.Authentication, "RegenerateAccessToken")]
    [InlineData(nameof(OAuth2TokenOperation.ClientCredentials), Failure.Transient, SystemMailErrorKind.Transient, "TokenEndpointUnavailable")]
    [InlineData(nameof(OAuth2TokenOperation.ClientCredentials), Failure.InvalidGrant, SystemMailErrorKind.Authentication, "ClientCredentialsRefused")]
    [InlineData(nameof(OAuth2TokenOperation.ClientCredentials), Failure.Other, SystemMailErrorKind.Authentication, "ClientCredentialsRefused")]
    public void ToSystemMailException_OperationAndFailure_KindAndHint(string operation, Failure failure, SystemMailErrorKind kind, string hintId)
    {
        var refusal = Refusal(failure);

        var ex = OAuth2ErrorMapping.ToSystemMailException(Enum.Parse<OAuth2TokenOperation>(operation), Oauth, refusal);

        Assert.Equal(kind, ex.Kind);
        Assert.Equal(hintId, ex.LocalizableHint?.Id);
        Assert.Same(refusal, ex.InnerException);
    }

    [Fact]
    public void ToSystemMailException_TransientFailure_NamesTheTokenEndpointAndStatus()
    {
        var ex = OAuth2ErrorMapping.ToSystemMailException(OAuth2TokenOperation.Refresh, Oauth, Refusal(Failure.Transient));

        Assert.Contains("token endpoint login.microsoftonline.com", ex.Message, StringComparison.Ordinal);
        Assert.Contains("(503)", ex.Message, StringComparison.Ordinal);
        Assert.True(ex.IsTransient);
    }

    [Fact]
    public void ToSystemMailException_RefreshInvalidGrant_MustBeGeneratedAgainWithTheRefusal()
    {
        var refusal = Refusal(Failure.InvalidGrant);

        var ex = OAuth2ErrorMapping.ToSystemMailException(OAuth2TokenOperation.Refresh, Oauth, refusal);

        Assert.Contains("must be generated again", ex.Message, StringComparison.Ordinal);
        Assert.Contains(OAuth2ErrorMapping.RefreshTokenRefusedReason(refusal), ex.Message, StringComparison.Ordinal);
        Assert.Contains("invalid_grant: token revoked", ex.Message, StringComparison.Ordinal);
    }
}
