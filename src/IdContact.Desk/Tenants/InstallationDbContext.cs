using IdContact.Desk.Sessions;
using Microsoft.EntityFrameworkCore;

namespace IdContact.Desk.Tenants;

/// <summary>
/// The one database every tenant shares: only what must hold across tenants, the keys of results already used.
/// It holds no personal data (a replay key is a hash of a signature). Each provider has its own subclass and migrations.
/// </summary>
public abstract class InstallationDbContext(DbContextOptions options) : DbContext(options)
{
    public DbSet<UsedResult> UsedResults => Set<UsedResult>();

    protected override void OnModelCreating(ModelBuilder builder)
    {
        builder.Entity<UsedResult>(u =>
        {
            u.HasKey(x => x.Key);
            u.Property(x => x.Key).HasMaxLength(64);
            u.Property(x => x.Holder).HasMaxLength(64);
            u.HasIndex(x => x.ExpiresAt);
        });
    }

    protected override void ConfigureConventions(ModelConfigurationBuilder configuration) =>
        configuration.Properties<DateTimeOffset>().HaveConversion<DeskDbContext.UtcTicksConverter>();
}
