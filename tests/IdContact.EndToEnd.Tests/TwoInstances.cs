using System.Text.Json;
using IdContact.Roles.Tests;

namespace IdContact.EndToEnd.Tests;

/// <summary>Two desk instances of one municipality on the test PostgreSQL server with the Redis backplane, as behind a load balancer.</summary>
internal static class TwoInstances
{
    /// <summary>Writes the shared configuration (one comm method) and starts both instances on one data directory (keys).</summary>
    public static async Task<(RunningServer First, RunningServer Second, string Tenant)> StartAsync(string prefix, object commMethod, object? tenantDesk = null)
    {
        var postgres = Environment.GetEnvironmentVariable("IDCONTACT_TEST_POSTGRES")
            ?? throw new InvalidOperationException("IDCONTACT_TEST_POSTGRES is not set; run the tests with scripts/test.sh.");
        var redis = Environment.GetEnvironmentVariable("IDCONTACT_TEST_REDIS")
            ?? throw new InvalidOperationException("IDCONTACT_TEST_REDIS is not set; run the tests with scripts/test.sh.");
        var tenant = prefix + Guid.NewGuid().ToString("N")[..8];
        var data = Directory.CreateTempSubdirectory($"idcontact-{prefix}-scale-").FullName;
        var config = Path.Combine(data, "config.json");
        await File.WriteAllTextAsync(config, JsonSerializer.Serialize(new
        {
            Demo = true,
            Desk = new { DatabaseProvider = "Postgres", PostgresConnectionString = postgres, Redis = redis },
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

        var first = await RunningServer.StartAsync("--config", config, "--data", data);
        return (first, await RunningServer.StartAsync("--config", config, "--data", data), tenant);
    }
}
