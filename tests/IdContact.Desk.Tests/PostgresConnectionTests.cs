using IdContact.Desk.Tenants;
using IdContact.Hosting;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using Npgsql;

namespace IdContact.Desk.Tests;

/// <summary>
/// The settings the desk adds to a PostgreSQL connection string, and that an operator's own choice wins; the installation
/// database the desk opens.
/// </summary>
public sealed class PostgresConnectionTests
{
    [Fact]
    public void No_reset_and_auto_prepare_are_added_with_the_tenants_database()
    {
        var built = new NpgsqlConnectionStringBuilder(TenantDatabases.PostgresConnectionString("Host=db;Username=u;Password=p;Database=other", "idcontact_a"));

        Assert.Equal("idcontact_a", built.Database);
        Assert.True(built.NoResetOnClose);
        Assert.Equal(64, built.MaxAutoPrepare);
        Assert.Equal("db", built.Host);
        Assert.Equal("p", built.Password);
    }

    [Theory]
    [InlineData("Host=db;No Reset On Close=false;Max Auto Prepare=0")]
    [InlineData("Host=db;NoResetOnClose=false;MaxAutoPrepare=0")]
    [InlineData("Host=db;no reset on close=False;max auto prepare=0")]
    public void An_operators_own_choice_is_kept(string configured)
    {
        var built = new NpgsqlConnectionStringBuilder(TenantDatabases.PostgresConnectionString(configured, "idcontact_a"));

        Assert.False(built.NoResetOnClose);
        Assert.Equal(0, built.MaxAutoPrepare);
    }

    [Theory]
    [InlineData(null, "idcontact__installation")]
    [InlineData("idcontact__installation_run7", "idcontact__installation_run7")]
    public void The_installation_database_is_the_configured_one_and_by_default_the_one_of_earlier_releases(string? configured, string expected)
    {
        var options = new IdContactOptions();
        var desk = options.Desk();
        desk.DatabaseProvider = "Postgres";
        desk.PostgresConnectionString = "Host=db;Username=u";
        if (configured is not null)
        {
            desk.InstallationDatabase = configured;
        }

        using var installation = new TenantDatabases(Options.Create(options)).OpenInstallation();

        Assert.Equal(expected, new NpgsqlConnectionStringBuilder(installation.Database.GetConnectionString()).Database);
    }
}
