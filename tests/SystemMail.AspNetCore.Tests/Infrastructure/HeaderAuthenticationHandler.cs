using System.Security.Claims;
using System.Text.Encodings.Web;
using Microsoft.AspNetCore.Authentication;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace SystemMail.AspNetCore.Tests.Infrastructure;

/// <summary>Signs a request in as the user named by <c>X-Test-User</c>, with the roles of <c>X-Test-Roles</c>.</summary>
public sealed class HeaderAuthenticationHandler(IOptionsMonitor<AuthenticationSchemeOptions> options, ILoggerFactory logger, UrlEncoder encoder)
    : AuthenticationHandler<AuthenticationSchemeOptions>(options, logger, encoder)
{
    public const string SchemeName = "Test";
    public const string UserHeader = "X-Test-User";
    public const string RolesHeader = "X-Test-Roles";

    /// <summary>A client of <paramref name="baseAddress"/> signed in as <paramref name="user"/> with <paramref name="roles"/> (anonymous when <paramref name="user"/> is null); redirects are not followed.</summary>
    public static HttpClient CreateClient(Uri baseAddress, string? user, string roles)
    {
        var client = new HttpClient(new SocketsHttpHandler { AllowAutoRedirect = false, UseProxy = false }) { BaseAddress = baseAddress };
        if (user is not null)
        {
            client.DefaultRequestHeaders.Add(UserHeader, user);
            client.DefaultRequestHeaders.Add(RolesHeader, roles);
        }

        return client;
    }

    protected override Task<AuthenticateResult> HandleAuthenticateAsync()
    {
        if (Request.Headers[UserHeader].ToString() is not { Length: > 0 } user)
        {
            return Task.FromResult(AuthenticateResult.NoResult());
        }

        var claims = new List<Claim>
        {
            new(ClaimTypes.NameIdentifier, user),
            new(ClaimTypes.Name, user),
            new(ClaimTypes.Email, user + "@acme.test"),
        };
        claims.AddRange(Request.Headers[RolesHeader].ToString().Split(',', StringSplitOptions.RemoveEmptyEntries).Select(r => new Claim(ClaimTypes.Role, r.Trim())));
        var principal = new ClaimsPrincipal(new ClaimsIdentity(claims, SchemeName));
        return Task.FromResult(AuthenticateResult.Success(new AuthenticationTicket(principal, SchemeName)));
    }
}
