using System.Data.Common;
using IdContact.Desk.Agents;
using IdContact.Desk.Tenants;
using IdContact.Desk.Tenants.Migrations;
using Microsoft.AspNetCore.Identity;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Npgsql;

namespace IdContact.Desk.Tests;

/// <summary>An empty database of its own for one schema test (a SQLite file, or a PostgreSQL database it drops after).</summary>
public sealed class ScratchDatabase : IAsyncDisposable
{
    private ScratchDatabase(string provider, string connectionString, string name)
    {
        Provider = provider;
        ConnectionString = connectionString;
        Name = name;
    }

    public string Provider { get; }

    public string ConnectionString { get; }

    /// <summary>The file path (SQLite) or database name (PostgreSQL).</summary>
    public string Name { get; }

    public bool IsPostgres => Provider == "Postgres";

    /// <summary>A new empty database; on PostgreSQL under <paramref name="name"/> when given (a tenant's idcontact_{tag}).</summary>
    public static async Task<ScratchDatabase> CreateAsync(string provider, string? name = null, string? sqliteFile = null)
    {
        if (provider == "Postgres")
        {
            name ??= "idcontact_schema_" + Guid.NewGuid().ToString("N")[..10];
            await using var server = new NpgsqlConnection(DeskServer.Postgres + ";Database=postgres");
            await server.OpenAsync();
            await using var create = new NpgsqlCommand($"CREATE DATABASE {name}", server);
            await create.ExecuteNonQueryAsync();
            var connection = new NpgsqlConnectionStringBuilder(DeskServer.Postgres) { Database = name };
            return new ScratchDatabase(provider, connection.ConnectionString, name);
        }

        var file = sqliteFile ?? Path.Combine(Path.GetTempPath(), "idcontact-schema-" + Guid.NewGuid().ToString("N") + ".db");
        Directory.CreateDirectory(Path.GetDirectoryName(file)!);
        return new ScratchDatabase(provider, new SqliteConnectionStringBuilder { DataSource = file, Pooling = false }.ConnectionString, file);
    }

    public DeskDbContext Desk()
    {
        var options = new DbContextOptionsBuilder<DeskDbContext>();
        return IsPostgres ? new PostgresDeskDbContext(options.UseNpgsql(ConnectionString).Options) : new SqliteDeskDbContext(options.UseSqlite(ConnectionString).Options);
    }

    public InstallationDbContext Installation()
    {
        var options = new DbContextOptionsBuilder<InstallationDbContext>();
        return IsPostgres
            ? new PostgresInstallationDbContext(options.UseNpgsql(ConnectionString).Options)
            : new SqliteInstallationDbContext(options.UseSqlite(ConnectionString).Options);
    }

    /// <summary>A PostgreSQL database the servers of a test create (a tenant's); dropped when disposed.</summary>
    public static ScratchDatabase AttachPostgres(string name) =>
        new("Postgres", new NpgsqlConnectionStringBuilder(DeskServer.Postgres) { Database = name }.ConnectionString, name);

    /// <summary>An agent account row as ASP.NET Core Identity stores it, with <paramref name="password"/> and nothing left to do.</summary>
    public Dictionary<string, object?> AgentRow(string userName, string password) => new()
    {
        ["Id"] = Guid.NewGuid().ToString(),
        ["DisplayName"] = userName,
        ["Extension"] = "201",
        ["MustChangePassword"] = Flag(false),
        ["UserName"] = userName,
        ["NormalizedUserName"] = userName.ToUpperInvariant(),
        ["EmailConfirmed"] = Flag(false),
        ["PasswordHash"] = new PasswordHasher<Agent>().HashPassword(new Agent(), password),
        ["SecurityStamp"] = Guid.NewGuid().ToString("N"),
        ["ConcurrencyStamp"] = Guid.NewGuid().ToString(),
        ["PhoneNumberConfirmed"] = Flag(false),
        ["TwoFactorEnabled"] = Flag(false),
        ["LockoutEnabled"] = Flag(true),
        ["AccessFailedCount"] = 0,
    };

    /// <summary>SQLite keeps booleans as integers.</summary>
    private object Flag(bool value) => IsPostgres ? value : value ? 1 : 0;

    /// <summary>Makes the schema EnsureCreated made before migrations (Legacy/{provider}-{database}.sql, from main at that time).</summary>
    public Task LegacySchemaAsync(string database) =>
        ExecuteAsync(File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "Legacy", $"{Provider.ToLowerInvariant()}-{database}.sql")));

    public async Task ExecuteAsync(string sql)
    {
        await using var connection = Open();
        await using var command = connection.CreateCommand();
        command.CommandText = sql;
        await command.ExecuteNonQueryAsync();
    }

    /// <summary>Inserts one row by column name, as raw SQL: independent of the current model.</summary>
    public async Task InsertAsync(string table, IReadOnlyDictionary<string, object?> values)
    {
        await using var connection = Open();
        await using var command = connection.CreateCommand();
        var names = values.Keys.ToList();
        command.CommandText = $"INSERT INTO \"{table}\" ({string.Join(", ", names.Select(n => $"\"{n}\""))}) VALUES ({string.Join(", ", names.Select((_, i) => "@p" + i))})";
        for (var i = 0; i < names.Count; i++)
        {
            var parameter = command.CreateParameter();
            parameter.ParameterName = "@p" + i;
            parameter.Value = values[names[i]] ?? DBNull.Value;
            command.Parameters.Add(parameter);
        }

        await command.ExecuteNonQueryAsync();
    }

    public async Task<List<string>> ColumnAsync(string sql)
    {
        await using var connection = Open();
        await using var command = connection.CreateCommand();
        command.CommandText = sql;
        await using var reader = await command.ExecuteReaderAsync();
        var values = new List<string>();
        while (await reader.ReadAsync())
        {
            values.Add(string.Join(" ", Enumerable.Range(0, reader.FieldCount).Select(i => reader.IsDBNull(i) ? "null" : Convert.ToString(reader.GetValue(i), System.Globalization.CultureInfo.InvariantCulture))));
        }

        return values;
    }

    /// <summary>Every table's columns (type, nullability) and every index, sorted; the migrations' history tables left out.</summary>
    public async Task<List<string>> SchemaAsync()
    {
        var schema = new List<string>();
        if (IsPostgres)
        {
            schema.AddRange(await ColumnAsync("""
                SELECT table_name, column_name, data_type, character_maximum_length, is_nullable, column_default
                FROM information_schema.columns WHERE table_schema = 'public' AND table_name NOT LIKE '\_\_EF%'
                """));
            schema.AddRange(await ColumnAsync("SELECT indexdef FROM pg_indexes WHERE schemaname = 'public' AND tablename NOT LIKE '\\_\\_EF%'"));
        }
        else
        {
            var tables = await ColumnAsync("SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite%' AND name NOT LIKE '\\_\\_EF%' ESCAPE '\\'");
            foreach (var table in tables)
            {
                schema.AddRange((await ColumnAsync($"SELECT name, type, \"notnull\", pk FROM pragma_table_info('{table}')")).Select(c => table + " " + c));
            }

            schema.AddRange(await ColumnAsync("SELECT sql FROM sqlite_master WHERE type = 'index' AND sql IS NOT NULL"));
        }

        schema.Sort(StringComparer.Ordinal);
        return schema;
    }

    private DbConnection Open()
    {
        DbConnection connection = IsPostgres ? new NpgsqlConnection(ConnectionString) : new SqliteConnection(ConnectionString);
        connection.Open();
        return connection;
    }

    public async ValueTask DisposeAsync()
    {
        if (IsPostgres)
        {
            NpgsqlConnection.ClearAllPools();
            await TestPostgres.DropAsync(Name);
        }
        else
        {
            SqliteConnection.ClearAllPools();
            foreach (var file in new[] { Name, Name + "-wal", Name + "-shm" })
            {
                File.Delete(file);
            }
        }
    }
}
