namespace SystemMail.Tests.Infrastructure.OAuth2;

/// <summary>The account that the simulated consent screen signs in.</summary>
/// <param name="ObjectId">Microsoft's <c>oid</c> and the <c>uid</c> of <c>client_info</c>.</param>
/// <param name="TenantId">Microsoft's <c>tid</c> and the <c>utid</c> of <c>client_info</c>.</param>
/// <param name="Subject">The id_token <c>sub</c>.</param>
/// <param name="Username">The id_token <c>preferred_username</c> and <c>email</c>: the mailbox XOAUTH2 names.</param>
/// <param name="Name">The id_token <c>name</c>.</param>
public sealed record OAuth2TestUser(string ObjectId, string TenantId, string Subject, string Username, string Name)
{
    /// <summary>A fixed account in <see cref="OAuth2TestServerOptions.DefaultTenantId"/>.</summary>
    public static OAuth2TestUser Default { get; } = new(
        ObjectId: "00000000-0000-0000-0000-00000000a11c",
        TenantId: OAuth2TestServerOptions.DefaultTenantId,
        Subject: "113355779911224466880",
        Username: "mailer@contoso.test",
        Name: "System Mailer");
}
