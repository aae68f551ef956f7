namespace SystemMail.Tests.OAuth2;

public sealed class OAuthProtocolExceptionTests
{
    [Theory]
    [InlineData("server_error", 500, true)]
    [InlineData("temporarily_unavailable", 503, true)]
    [InlineData("slow_down", 429, true)]
    [InlineData(null, null, true)]
    [InlineData("request_timeout", null, true)]
    [InlineData("invalid_grant", 400, false)]
    [InlineData("invalid_grant", 500, false)]
    [InlineData("invalid_grant", null, false)]
    [InlineData("invalid_client", 401, false)]
    [InlineData("invalid_client", 503, false)]
    [InlineData("invalid_scope", 400, false)]
    [InlineData("unauthorized_client", 400, false)]
    [InlineData(null, 404, false)]
    public void FromErrorResponse_ErrorAndStatus_TransientByTheOneRule(string? error, int? status, bool transient)
    {
        var ex = OAuthProtocolException.FromErrorResponse(error, "description", status, null);

        Assert.Equal(transient, ex.IsTransient);
        Assert.Equal(error == "invalid_grant", ex.IsInvalidGrant);
    }

    [Fact]
    public void Unavailable_AnyStatus_Transient()
    {
        var ex = OAuthProtocolException.Unavailable("unavailable", "connection refused", 404, new HttpRequestException());

        Assert.True(ex.IsTransient);
        Assert.False(ex.IsInvalidGrant);
    }

    [Fact]
    public void InvalidGrant_NoAnswer_InvalidGrantAndNotTransient()
    {
        var ex = OAuthProtocolException.InvalidGrant("no refresh token is stored", null, null);

        Assert.True(ex.IsInvalidGrant);
        Assert.False(ex.IsTransient);
        Assert.Equal("invalid_grant: no refresh token is stored", ex.Message);
    }
}
