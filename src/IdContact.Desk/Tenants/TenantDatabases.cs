using IdContact.Desk.Tenants.Migrations;
using IdContact.Hosting;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Npgsql;

namespace IdContact.Desk.Tenants;

/// <summary>
/// Opens a tenant's own database (P10): a SQLite file per tenant by default, or a PostgreSQL database per
/// tenant on one server. The tenant is always explicit, so no query can reach another tenant's data.
/// </summary>
public sealed class TenantDatabases
{
    private readonly Dictionary<string, DbContextOptions<DeskDbContext>> _options = new(StringComparer.OrdinalIgnoreCase);
    private readonly DbContextOptions<InstallationDbContext> _installation;
    private readonly bool _postgres;

    public TenantDatabases(IOptions<IdContactOptions> options)
    {
        var desk = options.Value.Desk();
        _postgres = IsPostgres(desk);
        var dir = Path.GetFullPath(Path.Combine(options.Value.DataDirectory, "desk"));
        foreach (var tenant in options.Value.Tenants.Keys)
        {
            _options[tenant] = Configure(new DbContextOptionsBuilder<DeskDbContext>(), desk, dir, tenant.ToLowerInvariant()).Options;
        }

        // "_installation" can be no tenant's name: tags start with a letter or digit and hold no '_'.
        _installation = Configure(new DbContextOptionsBuilder<InstallationDbContext>(), desk, dir, "_installation").Options;
    }

    private static DbContextOptionsBuilder<T> Configure<T>(DbContextOptionsBuilder<T> builder, DeskOptions desk, string dir, string name)
        where T : DbContext
    {
        if (IsPostgres(desk))
        {
            var connection = new NpgsqlConnectionStringBuilder(desk.PostgresConnectionString) { Database = DatabaseName(name) };
            builder.UseNpgsql(connection.ConnectionString);
        }
        else
        {
            Directory.CreateDirectory(dir);
            var connection = new SqliteConnectionStringBuilder { DataSource = Path.Combine(dir, name + ".db"), Pooling = true };
            // Deleted rows are overwritten, not left readable in free pages of the file (M3: deletion really deletes).
            builder.UseSqlite(connection.ConnectionString).AddInterceptors(SqliteSecureDelete.Instance);
        }

        return builder;
    }

    public IEnumerable<string> Tenants => _options.Keys;

    public static bool IsPostgres(DeskOptions desk) => desk.DatabaseProvider.Equals("Postgres", StringComparison.OrdinalIgnoreCase);

    /// <summary>PostgreSQL database name of a tenant; tenant tags are lower-case letters, digits and '-'.</summary>
    public static string DatabaseName(string tenant) => "idcontact_" + tenant.ToLowerInvariant().Replace('-', '_');

    /// <summary>The tenant's database; the provider's subclass, so its own migrations apply.</summary>
    public DeskDbContext Open(string tenant) =>
        !_options.TryGetValue(tenant, out var options) ? throw new ArgumentException($"Unknown tenant '{tenant}'.", nameof(tenant))
        : _postgres ? new PostgresDeskDbContext(options)
        : new SqliteDeskDbContext(options);

    /// <summary>The database shared by all tenants, holding only used-result keys.</summary>
    public InstallationDbContext OpenInstallation() =>
        _postgres ? new PostgresInstallationDbContext(_installation) : new SqliteInstallationDbContext(_installation);

    /// <summary>
    /// Brings the installation database and every tenant's database to the newest schema (start-up): created when
    /// missing, a database made before migrations baselined, pending migrations applied (<see cref="SchemaMigrator"/>).
    /// </summary>
    public async Task MigrateAsync(ILogger logger, CancellationToken ct)
    {
        await using (var installation = OpenInstallation())
        {
            await SchemaMigrator.MigrateAsync(installation, "UsedResults", logger, ct);
        }

        foreach (var tenant in _options.Keys)
        {
            await using var db = Open(tenant);
            await SchemaMigrator.MigrateAsync(db, "Sessions", logger, ct);
            if (db.Database.IsSqlite())
            {
                // WAL lets agent reads run beside the exchange's writes.
                await db.Database.ExecuteSqlRawAsync("PRAGMA journal_mode=WAL;", ct);
            }
        }
    }
}
