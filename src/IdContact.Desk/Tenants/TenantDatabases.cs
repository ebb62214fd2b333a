using IdContact.Hosting;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
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

    public TenantDatabases(IOptions<IdContactOptions> options)
    {
        var desk = options.Value.Desk;
        foreach (var tenant in options.Value.Tenants.Keys)
        {
            var builder = new DbContextOptionsBuilder<DeskDbContext>();
            if (IsPostgres(desk))
            {
                var connection = new NpgsqlConnectionStringBuilder(desk.PostgresConnectionString) { Database = DatabaseName(tenant) };
                builder.UseNpgsql(connection.ConnectionString);
            }
            else
            {
                var dir = Path.GetFullPath(Path.Combine(options.Value.DataDirectory, "desk"));
                Directory.CreateDirectory(dir);
                var connection = new SqliteConnectionStringBuilder { DataSource = Path.Combine(dir, tenant.ToLowerInvariant() + ".db"), Pooling = true };
                builder.UseSqlite(connection.ConnectionString);
            }

            _options[tenant] = builder.Options;
        }
    }

    public IEnumerable<string> Tenants => _options.Keys;

    public static bool IsPostgres(DeskOptions desk) => desk.DatabaseProvider.Equals("Postgres", StringComparison.OrdinalIgnoreCase);

    /// <summary>PostgreSQL database name of a tenant; tenant tags are lower-case letters, digits and '-'.</summary>
    public static string DatabaseName(string tenant) => "idcontact_" + tenant.ToLowerInvariant().Replace('-', '_');

    public DeskDbContext Open(string tenant) =>
        _options.TryGetValue(tenant, out var options)
            ? new DeskDbContext(options)
            : throw new ArgumentException($"Unknown tenant '{tenant}'.", nameof(tenant));

    /// <summary>Creates every tenant's database and schema if missing (start-up).</summary>
    public async Task EnsureCreatedAsync(CancellationToken ct)
    {
        foreach (var tenant in _options.Keys)
        {
            await using var db = Open(tenant);
            await db.Database.EnsureCreatedAsync(ct);
            if (db.Database.IsSqlite())
            {
                // WAL lets agent reads run beside the exchange's writes.
                await db.Database.ExecuteSqlRawAsync("PRAGMA journal_mode=WAL;", ct);
            }
        }
    }
}
