using System.Text.Json;
using IdContact.Desk.Tests;
using IdContact.Roles.Tests;

namespace IdContact.EndToEnd.Tests;

/// <summary>Two desk instances of one municipality on the test PostgreSQL server with the Redis backplane, as behind a load balancer.</summary>
internal sealed record TwoInstances(RunningServer First, RunningServer Second, string Tenant, TestPostgres Databases, string Data) : IAsyncDisposable
{
    public static string Redis => Environment.GetEnvironmentVariable("IDCONTACT_TEST_REDIS")
        ?? throw new InvalidOperationException("IDCONTACT_TEST_REDIS is not set; run the tests with scripts/test.sh.");

    /// <summary>
    /// Writes the shared configuration (one comm method) and starts both instances on one data directory (keys) and one
    /// installation database, with Redis at <paramref name="redis"/> (the test Redis when null) and <paramref name="args"/>.
    /// </summary>
    public static async Task<TwoInstances> StartAsync(string prefix, object commMethod, object? tenantDesk = null, string? redis = null, params string[] args)
    {
        redis ??= Redis;
        var tenant = prefix + Guid.NewGuid().ToString("N")[..8];
        var databases = new TestPostgres(tenant);
        var data = Directory.CreateTempSubdirectory($"idcontact-{prefix}-scale-").FullName;
        var config = Path.Combine(data, "config.json");
        await File.WriteAllTextAsync(config, JsonSerializer.Serialize(new
        {
            Demo = true,
            Desk = new { DatabaseProvider = "Postgres", PostgresConnectionString = TestPostgres.ConnectionString, databases.InstallationDatabase, Redis = redis },
            Tenants = new Dictionary<string, object>
            {
                [tenant] = new
                {
                    DisplayName = "Gemeente Schaal",
                    Purposes = new[] { new { Tag = "report_move", Name = "Verhuizing doorgeven", Attributes = new[] { "fullname" }, AllowedAuth = new[] { "*" }, AllowedComm = new[] { "*" } } },
                    AuthMethods = new[] { new { Tag = "test", Name = "Testinlog", ImagePath = "/x.svg", Start = "/{tenant}/auth-test" } },
                    CommMethods = new[] { commMethod },
                    Desk = tenantDesk ?? new { },
                },
            },
        }));

        RunningServer? first = null;
        try
        {
            first = await RunningServer.StartAsync(["--config", config, "--data", data, .. args]);
            return new TwoInstances(first, await RunningServer.StartAsync(["--config", config, "--data", data, .. args]), tenant, databases, data);
        }
        catch
        {
            // Nothing is returned to dispose: what was made so far goes now.
            if (first is not null)
            {
                await first.DisposeAsync();
            }

            await databases.DisposeAsync();
            throw;
        }
    }

    /// <summary>Stops both instances, then drops their databases and removes the shared data directory.</summary>
    public async ValueTask DisposeAsync()
    {
        await Second.DisposeAsync();
        await First.DisposeAsync();
        await Databases.DisposeAsync();
        Directory.Delete(Data, recursive: true);
    }
}
