using Microsoft.EntityFrameworkCore;

namespace SystemMail.EntityFrameworkCore.Tests.Infrastructure;

/// <summary>A host's context: its own entities beside SystemMail's records, nothing in OnModelCreating for them.</summary>
public sealed class TestDbContext(DbContextOptions<TestDbContext> options) : DbContext(options), ISystemMailOutboxDbContext
{
    public DbSet<SystemMailRecord> SystemMailRecords => Set<SystemMailRecord>();

    public DbSet<SystemMailOutboxMessage> SystemMailOutbox => Set<SystemMailOutboxMessage>();

    public DbSet<HostUser> Users => Set<HostUser>();
}

/// <summary>An entity of the host, so the model is not SystemMail's alone.</summary>
public sealed class HostUser
{
    public int Id { get; set; }

    public string Email { get; set; } = string.Empty;
}
