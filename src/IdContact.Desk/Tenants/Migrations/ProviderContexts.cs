using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Design;

namespace IdContact.Desk.Tenants.Migrations;

// EF Core's "migrations with multiple providers", one context type per provider: one model (DeskDbContext,
// InstallationDbContext), and a subclass per provider whose migrations live in its own folder (Sqlite/, Postgres/),
// because column types and identity columns differ. scripts/add-migration.sh adds a migration to both.

/// <summary>A tenant's database on SQLite; migrations in Sqlite/Desk.</summary>
public sealed class SqliteDeskDbContext(DbContextOptions options) : DeskDbContext(options);

/// <summary>A tenant's database on PostgreSQL; migrations in Postgres/Desk.</summary>
public sealed class PostgresDeskDbContext(DbContextOptions options) : DeskDbContext(options);

/// <summary>The installation database on SQLite; migrations in Sqlite/Installation.</summary>
public sealed class SqliteInstallationDbContext(DbContextOptions options) : InstallationDbContext(options);

/// <summary>The installation database on PostgreSQL; migrations in Postgres/Installation.</summary>
public sealed class PostgresInstallationDbContext(DbContextOptions options) : InstallationDbContext(options);

/// <summary>For <c>dotnet ef migrations add</c> only: it needs a provider, not a database (nothing is connected).</summary>
public sealed class DesignTimeContexts :
    IDesignTimeDbContextFactory<SqliteDeskDbContext>,
    IDesignTimeDbContextFactory<PostgresDeskDbContext>,
    IDesignTimeDbContextFactory<SqliteInstallationDbContext>,
    IDesignTimeDbContextFactory<PostgresInstallationDbContext>
{
    private const string Sqlite = "Data Source=design-time.db";
    private const string Postgres = "Host=localhost;Database=design_time";

    SqliteDeskDbContext IDesignTimeDbContextFactory<SqliteDeskDbContext>.CreateDbContext(string[] args) =>
        new(new DbContextOptionsBuilder<SqliteDeskDbContext>().UseSqlite(Sqlite).Options);

    PostgresDeskDbContext IDesignTimeDbContextFactory<PostgresDeskDbContext>.CreateDbContext(string[] args) =>
        new(new DbContextOptionsBuilder<PostgresDeskDbContext>().UseNpgsql(Postgres).Options);

    SqliteInstallationDbContext IDesignTimeDbContextFactory<SqliteInstallationDbContext>.CreateDbContext(string[] args) =>
        new(new DbContextOptionsBuilder<SqliteInstallationDbContext>().UseSqlite(Sqlite).Options);

    PostgresInstallationDbContext IDesignTimeDbContextFactory<PostgresInstallationDbContext>.CreateDbContext(string[] args) =>
        new(new DbContextOptionsBuilder<PostgresInstallationDbContext>().UseNpgsql(Postgres).Options);
}
