using IdContact.Desk.Admin;
using IdContact.Desk.Tenants;
using IdContact.Hosting;
using Microsoft.Extensions.Options;
using Npgsql;

namespace IdContact.Desk.Tests;

/// <summary>
/// <c>idcontact tenant remove</c> on PostgreSQL: a municipality taken out of the configuration leaves its database, which
/// retention no longer sweeps; the removal drops it, and only once no instance still uses it.
/// </summary>
public sealed class TenantRemovalTests
{
    [Fact]
    public async Task The_database_of_a_municipality_no_longer_configured_is_listed_then_dropped_and_the_others_stay()
    {
        var gone = "rm" + Guid.NewGuid().ToString("N")[..8];
        await using var databases = new TestPostgres(gone, "arnhem");
        await new DeskStartup(new TenantDatabases(Options.Create(Installation(databases, gone, "arnhem")))).StartAsync(default);
        // The instances restarted without it: none keeps a connection to its database.
        NpgsqlConnection.ClearPool(new NpgsqlConnection(TenantDatabases.PostgresConnectionString(TestPostgres.ConnectionString, TenantDatabases.DatabaseName(gone))));
        var after = Installation(databases, "arnhem");

        Assert.Equal([$"PostgreSQL database {TenantDatabases.DatabaseName(gone)}"], (await TenantRemoval.RunAsync(after, gone, remove: false)).Found);
        Assert.True(await ExistsAsync(TenantDatabases.DatabaseName(gone)));

        var (removed, errors) = await TenantRemoval.RunAsync(after, gone, remove: true);
        Assert.Empty(errors);
        Assert.Equal([$"PostgreSQL database {TenantDatabases.DatabaseName(gone)}"], removed);
        Assert.False(await ExistsAsync(TenantDatabases.DatabaseName(gone)));
        Assert.True(await ExistsAsync(TenantDatabases.DatabaseName("arnhem")));
        Assert.True(await ExistsAsync(databases.InstallationDatabase));
        Assert.Empty((await TenantRemoval.RunAsync(after, gone, remove: true)).Found);

        var stillConfigured = await TenantRemoval.RunAsync(after, "arnhem", remove: true);
        Assert.Contains("still in this configuration", Assert.Single(stillConfigured.Errors));
        Assert.True(await ExistsAsync(TenantDatabases.DatabaseName("arnhem")));
    }

    [Fact]
    public async Task A_database_an_instance_still_uses_is_not_dropped_and_the_operator_is_told_why()
    {
        var gone = "rm" + Guid.NewGuid().ToString("N")[..8];
        await using var databases = new TestPostgres(gone);
        await new DeskStartup(new TenantDatabases(Options.Create(Installation(databases, gone)))).StartAsync(default);
        await using var open = new NpgsqlConnection(TenantDatabases.PostgresConnectionString(TestPostgres.ConnectionString, TenantDatabases.DatabaseName(gone)) + ";Pooling=false");
        await open.OpenAsync(); // an instance that still serves it

        var (removed, errors) = await TenantRemoval.RunAsync(Installation(databases), gone, remove: true);
        Assert.Empty(removed);
        Assert.Contains("is still in use", Assert.Single(errors));
        Assert.True(await ExistsAsync(TenantDatabases.DatabaseName(gone)));
    }

    [Fact]
    public async Task The_installation_database_is_never_taken_for_a_municipality_s_even_when_its_name_matches()
    {
        var options = new IdContactOptions();
        options.Desk().DatabaseProvider = "Postgres";
        options.Desk().PostgresConnectionString = TestPostgres.ConnectionString;
        options.Desk().InstallationDatabase = TenantDatabases.DatabaseName("shared-desk");

        var (removed, errors) = await TenantRemoval.RunAsync(options, "shared-desk", remove: true);
        Assert.Empty(removed);
        Assert.Contains("Desk:InstallationDatabase", Assert.Single(errors));
    }

    private static IdContactOptions Installation(TestPostgres databases, params string[] tenants)
    {
        var options = new IdContactOptions();
        var desk = options.Desk();
        desk.DatabaseProvider = "Postgres";
        desk.PostgresConnectionString = TestPostgres.ConnectionString;
        desk.InstallationDatabase = databases.InstallationDatabase;
        foreach (var tenant in tenants)
        {
            options.Tenants[tenant] = new() { DisplayName = tenant };
        }

        return options;
    }

    private static async Task<bool> ExistsAsync(string database)
    {
        await using var server = new NpgsqlConnection(TestPostgres.ConnectionString + ";Database=postgres");
        await server.OpenAsync();
        await using var query = new NpgsqlCommand("SELECT 1 FROM pg_database WHERE datname = @name", server);
        query.Parameters.AddWithValue("name", database);
        return await query.ExecuteScalarAsync() is not null;
    }
}
