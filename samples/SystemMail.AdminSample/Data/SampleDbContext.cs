using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.Identity.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore;

namespace SystemMail.AdminSample.Data;

/// <summary>Users (Identity), the saved mail settings and the OAuth2 tokens, in one SQLite file.</summary>
public sealed class SampleDbContext(DbContextOptions<SampleDbContext> options) : IdentityDbContext<IdentityUser>(options)
{
    public DbSet<MailSettingsRow> MailSettings => Set<MailSettingsRow>();

    public DbSet<OAuthTokenRow> OAuthTokens => Set<OAuthTokenRow>();

    protected override void OnModelCreating(ModelBuilder builder)
    {
        base.OnModelCreating(builder);
        builder.Entity<MailSettingsRow>(e =>
        {
            e.ToTable("MailSettings");
            e.Property(r => r.Id).ValueGeneratedNever();
        });
        builder.Entity<OAuthTokenRow>(e =>
        {
            e.ToTable("OAuthTokens");
            e.HasKey(r => r.Key);
        });
    }
}
