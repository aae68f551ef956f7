using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.Identity.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore;

namespace SystemMail.AdminSample.Data;

/// <summary>Users (Identity) and SystemMail's records (the saved mail settings and the OAuth2 tokens), in one SQLite file.</summary>
public sealed class SampleDbContext(DbContextOptions<SampleDbContext> options) : IdentityDbContext<IdentityUser>(options)
{
    public DbSet<OAuthTokenRow> OAuthTokens => Set<OAuthTokenRow>();

    protected override void OnModelCreating(ModelBuilder builder)
    {
        base.OnModelCreating(builder);
        builder.Entity<OAuthTokenRow>(e =>
        {
            e.ToTable("OAuthTokens");
            e.HasKey(r => r.Key);
        });
    }
}
