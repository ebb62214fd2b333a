using System.Data.Common;
using IdContact.Hosting;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Infrastructure;
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

    private readonly Dictionary<string, PooledDbContextFactory<DeskDbContext>> _options = new(StringComparer.OrdinalIgnoreCase);
    private readonly PooledDbContextFactory<InstallationDbContext> _installation;

    public TenantDatabases(IOptions<IdContactOptions> options)
    {
        var desk = options.Value.Desk();
        var dir = Path.GetFullPath(Path.Combine(options.Value.DataDirectory, "desk"));
        foreach (var tenant in options.Value.Tenants.Keys)
        {
            _options[tenant] = new(Configure(new DbContextOptionsBuilder<DeskDbContext>(), desk, dir, tenant.ToLowerInvariant()).Options, PoolSize);
        }

        // "_installation" can be no tenant's name: tags start with a letter or digit and hold no '_'.
        _installation = new(Configure(new DbContextOptionsBuilder<InstallationDbContext>(), desk, dir, "_installation").Options, PoolSize);
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

    public DeskDbContext Open(string tenant) =>
        _options.TryGetValue(tenant, out var pool)
            ? pool.CreateDbContext()
            : throw new ArgumentException($"Unknown tenant '{tenant}'.", nameof(tenant));

    /// <summary>The database shared by all tenants, holding only used-result keys.</summary>
    public InstallationDbContext OpenInstallation() => _installation.CreateDbContext();

    /// <summary>
    /// A database made by an earlier version lacks the tables added since (EnsureCreated leaves an existing database
    /// alone): they are created from the model, leaving existing ones and their rows as they are. New columns in
    /// existing tables are not handled; that needs migrations.
    /// </summary>
    private static async Task AddMissingTablesAsync(DbContext db, CancellationToken ct)
    {
        var script = db.Database.GenerateCreateScript();
        foreach (var statement in script.Split(";", StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            var idempotent = statement
                .Replace("CREATE TABLE ", "CREATE TABLE IF NOT EXISTS ", StringComparison.Ordinal)
                .Replace("CREATE UNIQUE INDEX ", "CREATE UNIQUE INDEX IF NOT EXISTS ", StringComparison.Ordinal)
                .Replace("CREATE INDEX ", "CREATE INDEX IF NOT EXISTS ", StringComparison.Ordinal);
            if (idempotent.StartsWith("CREATE", StringComparison.Ordinal))
            {
                await db.Database.ExecuteSqlRawAsync(idempotent, ct);
            }
        }
    }

    /// <summary>Creates every tenant's database and schema if missing (start-up).</summary>
    public async Task EnsureCreatedAsync(CancellationToken ct)
    {
        for (var attempt = 1; ; attempt++)
        {
            await using var installation = OpenInstallation();
            try
            {
                await installation.Database.EnsureCreatedAsync(ct);
                break;
            }
            catch (Exception e) when (attempt < 5 && e is DbException or InvalidOperationException or DbUpdateException)
            {
                // A sibling instance starting at the same moment created it first; the next look finds it.
                await Task.Delay(200 * attempt, ct);
            }
        }

        foreach (var tenant in _options.Keys)
        {
            await using var db = Open(tenant);
            if (!await db.Database.EnsureCreatedAsync(ct))
            {
                await AddMissingTablesAsync(db, ct);
            }

            if (db.Database.IsSqlite())
            {
                // WAL lets agent reads run beside the exchange's writes.
                await db.Database.ExecuteSqlRawAsync("PRAGMA journal_mode=WAL;", ct);
            }
        }
    }
}
