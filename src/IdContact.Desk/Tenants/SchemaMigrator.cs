using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Migrations;
using Microsoft.EntityFrameworkCore.Migrations.Operations;
using Microsoft.EntityFrameworkCore.Storage;
using Microsoft.Extensions.Logging;
using Npgsql;

namespace IdContact.Desk.Tenants;

/// <summary>
/// Brings one database to the newest schema at start-up with EF Core migrations: creates it when missing, baselines a
/// database that an earlier version made with EnsureCreated (tables, no migration history), applies what is pending.
/// </summary>
public static class SchemaMigrator
{
    /// <summary>Session-level advisory lock key ("IdContact schema"); advisory locks are per database.</summary>
    public const long LockKey = 0x1DC0_5C4E_3A00;

    /// <param name="markerTable">A table the first migration creates: present without history means a pre-migrations database.</param>
    public static async Task MigrateAsync(DbContext db, string markerTable, ILogger logger, CancellationToken ct)
    {
        NpgsqlConnection? guard = null;
        if (db.Database.IsNpgsql())
        {
            await CreateDatabaseAsync(db, ct);
            // EF Core takes its own lock while it migrates (LOCK TABLE on the history, per transaction); this one also
            // covers the baseline, so two instances starting at once take turns from the first look onward.
            guard = new NpgsqlConnection(new NpgsqlConnectionStringBuilder(db.Database.GetConnectionString()) { Pooling = false }.ConnectionString);
            await guard.OpenAsync(ct);
            await using var take = new NpgsqlCommand($"SELECT pg_advisory_lock({LockKey})", guard);
            await take.ExecuteNonQueryAsync(ct);
        }

        try
        {
            if (!(await db.Database.GetAppliedMigrationsAsync(ct)).Any() && await TableExistsAsync(db, markerTable, ct))
            {
                var initial = await BaselineAsync(db, ct);
                logger.LogInformation("Database {Database} was made before migrations: baselined at {Migration}", DatabaseName(db), initial);
            }

            var pending = (await db.Database.GetPendingMigrationsAsync(ct)).ToList();
            await db.Database.MigrateAsync(ct);
            if (pending.Count > 0)
            {
                logger.LogInformation("Database {Database}: applied {Migrations}", DatabaseName(db), string.Join(", ", pending));
            }
        }
        finally
        {
            if (guard is not null)
            {
                // Closing the unpooled connection ends the session, which releases the lock even if this fails.
                await guard.DisposeAsync();
            }
        }
    }

    /// <summary>
    /// Records the first migration as applied to a database made before migrations. Its tables that the database lacks
    /// (it was made by a version older still) are created first, with their indexes; existing tables and rows stay.
    /// The first migration makes exactly what EnsureCreated made, so the later migrations then apply as anywhere.
    /// </summary>
    public static async Task<string> BaselineAsync(DbContext db, CancellationToken ct)
    {
        var assembly = db.GetService<IMigrationsAssembly>();
        var (id, type) = assembly.Migrations.First();
        var initial = assembly.CreateMigration(type, db.Database.ProviderName!);
        var missing = new HashSet<string>(StringComparer.Ordinal);
        foreach (var table in initial.UpOperations.OfType<CreateTableOperation>())
        {
            if (!await TableExistsAsync(db, table.Name, ct))
            {
                missing.Add(table.Name);
            }
        }

        var operations = initial.UpOperations
            .Where(o => o is CreateTableOperation t && missing.Contains(t.Name) || o is CreateIndexOperation i && missing.Contains(i.Table))
            .ToList();
        var history = db.GetService<IHistoryRepository>();
        await using var transaction = await db.Database.BeginTransactionAsync(ct);
        foreach (var command in db.GetService<IMigrationsSqlGenerator>().Generate(operations))
        {
            await db.Database.ExecuteSqlRawAsync(command.CommandText, ct);
        }

        await db.Database.ExecuteSqlRawAsync(history.GetCreateIfNotExistsScript(), ct);
        await db.Database.ExecuteSqlRawAsync(history.GetInsertScript(new HistoryRow(id, ProductInfo.GetVersion())), ct);
        await transaction.CommitAsync(ct);
        return id;
    }

    private static async Task<bool> TableExistsAsync(DbContext db, string table, CancellationToken ct)
    {
        var query = db.Database.IsNpgsql()
            ? db.Database.SqlQuery<int>($"SELECT COUNT(*)::int AS \"Value\" FROM information_schema.tables WHERE table_schema = current_schema() AND table_name = {table}")
            : db.Database.SqlQuery<int>($"SELECT COUNT(*) AS \"Value\" FROM sqlite_master WHERE type = 'table' AND name = {table}");
        return await query.SingleAsync(ct) > 0;
    }

    /// <summary>CREATE DATABASE when missing; a sibling instance creating it at the same moment is no error.</summary>
    private static async Task CreateDatabaseAsync(DbContext db, CancellationToken ct)
    {
        var creator = db.GetService<IRelationalDatabaseCreator>();
        if (await creator.ExistsAsync(ct))
        {
            return;
        }

        try
        {
            await creator.CreateAsync(ct);
        }
        catch (PostgresException e) when (e.SqlState is PostgresErrorCodes.DuplicateDatabase or PostgresErrorCodes.UniqueViolation)
        {
            // Made by the sibling in between.
        }
        catch (PostgresException e) when (e.SqlState is PostgresErrorCodes.InsufficientPrivilege)
        {
            throw CreationRefused(db.Database.GetConnectionString()!, e);
        }
    }

    /// <summary>
    /// PostgreSQL's own "permission denied to create database" names neither the database nor the role: the start-up
    /// failure says both and the two ways out.
    /// </summary>
    public static InvalidOperationException CreationRefused(string connectionString, PostgresException e)
    {
        var connection = new NpgsqlConnectionStringBuilder(connectionString);
        var role = string.IsNullOrEmpty(connection.Username) ? "the configured role" : connection.Username;
        var grant = string.IsNullOrEmpty(connection.Username) ? "that role" : connection.Username;
        return new InvalidOperationException(
            $"The database {connection.Database} does not exist and {role} may not create databases; create it (CREATE DATABASE {connection.Database} OWNER {grant};) " +
            $"or let the role create it (ALTER ROLE {grant} CREATEDB;), then start again", e);
    }

    private static string DatabaseName(DbContext db) =>
        db.Database.IsNpgsql()
            ? new NpgsqlConnectionStringBuilder(db.Database.GetConnectionString()).Database ?? ""
            : Path.GetFileName(new Microsoft.Data.Sqlite.SqliteConnectionStringBuilder(db.Database.GetConnectionString()).DataSource);
}
