using IdContact.Desk.Tenants.Migrations;
using IdContact.Hosting;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Npgsql;

namespace IdContact.Desk.Tenants;

/// <summary>
/// Opens a tenant's own database (P10): a SQLite file per tenant by default, or a PostgreSQL database per
/// tenant on one server. The tenant is always explicit, so no query can reach another tenant's data.
/// Contexts come from a pool per tenant (and one for the installation database): a context is reset when it goes back,
/// so pooling saves building EF Core's per-context services on every operation without sharing any state.
/// </summary>
public sealed class TenantDatabases
{
    /// <summary>Contexts kept per database; more may be open at once, the surplus is simply not kept.</summary>
    private const int PoolSize = 128;

    // One pool per database, of the provider's context type (its own migrations apply).
    private readonly Dictionary<string, Func<DeskDbContext>> _pools = new(StringComparer.OrdinalIgnoreCase);
    private readonly Func<InstallationDbContext> _installation;

    public TenantDatabases(IOptions<IdContactOptions> options)
    {
        var desk = options.Value.Desk();
        var postgres = IsPostgres(desk);
        // All of the desk's databases live on one server: when it drops one connection, every pool is cleared.
        var reset = postgres
            ? new PostgresPoolReset([.. options.Value.Tenants.Keys.Select(t => DatabaseName(t)).Append(desk.InstallationDatabase)
                .Select(database => PostgresConnectionString(desk.PostgresConnectionString!, database))])
            : null;
        foreach (var tenant in options.Value.Tenants.Keys)
        {
            var file = SqliteFile(options.Value.DataDirectory, tenant);
            _pools[tenant] = postgres
                ? Pool(Configure(new DbContextOptionsBuilder<PostgresDeskDbContext>(), desk, DatabaseName(tenant), file, reset))
                : Pool(Configure(new DbContextOptionsBuilder<SqliteDeskDbContext>(), desk, DatabaseName(tenant), file, reset));
        }

        // "_installation" can be no tenant's file: tags start with a letter or digit and hold no '_'. On PostgreSQL the
        // name is configurable (DeskValidator keeps it off the tenants' names), so test installations need not share one.
        var installationFile = SqliteFile(options.Value.DataDirectory, "_installation");
        _installation = postgres
            ? Pool(Configure(new DbContextOptionsBuilder<PostgresInstallationDbContext>(), desk, desk.InstallationDatabase, installationFile, reset))
            : Pool(Configure(new DbContextOptionsBuilder<SqliteInstallationDbContext>(), desk, desk.InstallationDatabase, installationFile, reset));
    }

    private static Func<T> Pool<T>(DbContextOptionsBuilder<T> configured)
        where T : DbContext
    {
        var pool = new PooledDbContextFactory<T>(configured.Options, PoolSize);
        return pool.CreateDbContext;
    }

    /// <summary>Where a municipality's (or, for "_installation", the installation's) SQLite database lives: <c>{data}/desk/{tag}.db</c>.</summary>
    public static string SqliteFile(string dataDirectory, string name) =>
        Path.Combine(Path.GetFullPath(Path.Combine(dataDirectory, "desk")), name.ToLowerInvariant() + ".db");

    /// <param name="database">The PostgreSQL database's name.</param>
    /// <param name="file">The SQLite file's path (<see cref="SqliteFile"/>).</param>
    private static DbContextOptionsBuilder<T> Configure<T>(DbContextOptionsBuilder<T> builder, DeskOptions desk, string database, string file, PostgresPoolReset? reset)
        where T : DbContext
    {
        if (reset is not null)
        {
            builder.UseNpgsql(PostgresConnectionString(desk.PostgresConnectionString!, database)).AddInterceptors(reset);
        }
        else
        {
            Directory.CreateDirectory(Path.GetDirectoryName(file)!);
            // Foreign keys said, not left to the native library's build default: DeskDbContext.AgentHolds relies on them.
            var connection = new SqliteConnectionStringBuilder { DataSource = file, Pooling = true, ForeignKeys = true };
            // Deleted rows are overwritten, not left readable in free pages of the file (M3: deletion really deletes).
            builder.UseSqlite(connection.ConnectionString).AddInterceptors(SqliteSecureDelete.Instance);
        }

        return builder;
    }

    public IEnumerable<string> Tenants => _pools.Keys;

    /// <summary>
    /// The configured connection string for one database. Unless the operator chose otherwise: a connection going back
    /// to the pool is not reset (the desk sets no session state: no SET, temporary tables or LISTEN, so DISCARD ALL
    /// on every reuse is pure work for the server), and statements the desk runs again and again are prepared once per
    /// connection, so PostgreSQL parses and plans them once instead of on every round trip.
    /// </summary>
    public static string PostgresConnectionString(string configured, string database)
    {
        var given = new System.Data.Common.DbConnectionStringBuilder { ConnectionString = configured };
        bool Given(string keyword) => given.Keys.Cast<string>().Any(k => k.Replace(" ", "").Equals(keyword, StringComparison.OrdinalIgnoreCase));
        var connection = new NpgsqlConnectionStringBuilder(configured) { Database = database };
        if (!Given("NoResetOnClose"))
        {
            connection.NoResetOnClose = true;
        }

        if (!Given("MaxAutoPrepare"))
        {
            connection.MaxAutoPrepare = 64;
        }

        return connection.ConnectionString;
    }

    public static bool IsPostgres(DeskOptions desk) => desk.DatabaseProvider.Equals("Postgres", StringComparison.OrdinalIgnoreCase);

    /// <summary>PostgreSQL database name of a tenant; tenant tags are lower-case letters, digits and '-'.</summary>
    public static string DatabaseName(string tenant) => "idcontact_" + tenant.ToLowerInvariant().Replace('-', '_');

    /// <summary>The tenant's database; the provider's subclass, so its own migrations apply.</summary>
    public DeskDbContext Open(string tenant) =>
        _pools.TryGetValue(tenant, out var open)
            ? open()
            : throw new ArgumentException($"Unknown tenant '{tenant}'.", nameof(tenant));

    /// <summary>The database shared by all tenants, holding only used-result keys.</summary>
    public InstallationDbContext OpenInstallation() => _installation();

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

        foreach (var tenant in _pools.Keys)
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
