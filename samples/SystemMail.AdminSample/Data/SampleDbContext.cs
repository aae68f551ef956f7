using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.Identity.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore;
using SystemMail.EntityFrameworkCore;

namespace SystemMail.AdminSample.Data;

/// <summary>Users (Identity), SystemMail's records (the saved mail settings and the OAuth2 tokens) and its outbox, in one SQLite file.</summary>
public sealed class SampleDbContext(DbContextOptions<SampleDbContext> options) : IdentityDbContext<IdentityUser>(options), ISystemMailOutboxDbContext
{
    public DbSet<SystemMailRecord> SystemMailRecords => Set<SystemMailRecord>();

    public DbSet<SystemMailOutboxMessage> SystemMailOutbox => Set<SystemMailOutboxMessage>();
}
