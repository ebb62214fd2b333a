using System.Data.Common;
using IdContact.Desk.Tenants;
using IdContact.Desk.Tenants.Migrations;
using IdContact.Hosting;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Diagnostics;
using Microsoft.Extensions.Logging.Abstractions;
using Npgsql;

namespace IdContact.Desk.Tests;

/// <summary>
/// A role without CREATEDB on a fresh installation: PostgreSQL refuses CREATE DATABASE with 42501 "permission denied to
/// create database", which names nothing; the start-up failure names the database, the role and what to do. The test
/// role may create databases (and may not make a role that cannot), so the refusal is PostgreSQL's answer replayed.
/// </summary>
public sealed class DatabaseCreationRefusedTests
{
    [Fact]
    public async Task A_role_that_may_not_create_the_database_is_told_which_one_and_what_to_do()
    {
        var name = "idcontact_refused_" + Guid.NewGuid().ToString("N")[..8];
        var connection = new NpgsqlConnectionStringBuilder(DeskServer.Postgres) { Database = name };
        await using var db = new PostgresDeskDbContext(new DbContextOptionsBuilder<DeskDbContext>()
            .UseNpgsql(connection.ConnectionString).AddInterceptors(new NoCreateDb()).Options);

        var e = await Assert.ThrowsAnyAsync<Exception>(() => SchemaMigrator.MigrateAsync(db, "Sessions", NullLogger.Instance, CancellationToken.None));

        var line = FailureText.Of(e);
        Assert.StartsWith($"The database {name} does not exist and {connection.Username} may not create databases; create it (CREATE DATABASE {name} OWNER {connection.Username};) or let the role create it (ALTER ROLE {connection.Username} CREATEDB;)", line, StringComparison.Ordinal);
        Assert.EndsWith("42501: permission denied to create database.", line, StringComparison.Ordinal);
        // The CLI's admin create says "The database could not be used: …" for it, as for a wrong password.
        Assert.True(FailureText.IsDatabase(e));
    }

    /// <summary>Answers CREATE DATABASE as PostgreSQL does for a role without CREATEDB.</summary>
    private sealed class NoCreateDb : DbCommandInterceptor
    {
        public override ValueTask<InterceptionResult<int>> NonQueryExecutingAsync(DbCommand command, CommandEventData eventData, InterceptionResult<int> result, CancellationToken cancellationToken = default) =>
            command.CommandText.StartsWith("CREATE DATABASE", StringComparison.Ordinal)
                ? throw new PostgresException("permission denied to create database", "ERROR", "ERROR", PostgresErrorCodes.InsufficientPrivilege)
                : ValueTask.FromResult(result);
    }
}
