using System.Globalization;
using System.Net;
using System.Text.Json;
using IdContact.Desk.Tenants;
using IdContact.Hosting;
using IdContact.Roles.Tests;
using Microsoft.Extensions.DependencyInjection;

namespace IdContact.Desk.Tests;

/// <summary>A contact centre behind one NAT address signs in at the start of the day, with the default limits.</summary>
public class ContactCentreSignInTests
{
    [Fact]
    public async Task Fifteen_agents_behind_one_address_all_sign_in_within_a_minute()
    {
        var tenant = "cc" + Guid.NewGuid().ToString("N")[..8];
        var config = Path.Combine(Path.GetTempPath(), $"idcontact-centre-{tenant}.json");
        await File.WriteAllTextAsync(config, JsonSerializer.Serialize(new
        {
            Demo = true,
            Roles = "desk",
            Desk = new { DatabaseProvider = "Sqlite" },
            Tenants = new Dictionary<string, object> { [tenant] = new { DisplayName = "Gemeente C" } },
        }));
        try
        {
            // The test servers lift every limit; this one has the sign-in limit the code has by default.
            var defaultLimit = new RateLimitOptions().LoginPerMinute.ToString(CultureInfo.InvariantCulture);
            await using var server = await RunningServer.StartAsync("--config", config, "--RateLimits:LoginPerMinute", defaultLimit);
            var databases = server.App.Services.GetRequiredService<TenantDatabases>();
            var names = Enumerable.Range(1, 15).Select(i => $"agent{i}").ToList();
            foreach (var name in names)
            {
                await DeskAgent.CreateAsync(databases, tenant, name);
            }

            var statuses = new List<HttpStatusCode>();
            foreach (var name in names)
            {
                using var browser = new DeskAgent(new Uri(server.BaseUrl), tenant);
                statuses.Add((await browser.SignInAsync(name)).StatusCode);
            }

            Assert.All(statuses, s => Assert.Equal(HttpStatusCode.SeeOther, s));
        }
        finally
        {
            File.Delete(config);
        }
    }
}
