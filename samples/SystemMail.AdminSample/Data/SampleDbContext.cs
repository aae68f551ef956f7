using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.Identity.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore;
using SystemMail.EntityFrameworkCore;

namespace SystemMail.AdminSample.Data;

/// <summary>Users (Identity) and SystemMail's records (the saved mail settings and the OAuth2 tokens), in one SQLite file.</summary>
public sealed class SampleDbContext(DbContextOptions<SampleDbContext> options) : IdentityDbContext<IdentityUser>(options), ISystemMailDbContext
{
    public DbSet<SystemMailRecord> SystemMailRecords => Set<SystemMailRecord>();
}
