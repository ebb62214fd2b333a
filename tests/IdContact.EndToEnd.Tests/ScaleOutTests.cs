using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using IdContact.Desk.Admin;
using IdContact.Hosting;
using IdContact.Roles.Tests;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using Microsoft.Playwright;

namespace IdContact.EndToEnd.Tests;

/// <summary>Two desk instances on one PostgreSQL server with a Redis backplane, as behind a load balancer (X4).</summary>
public class ScaleOutTests(Browser browser) : IClassFixture<Browser>
{
    private const string ExchangeKey = "scale-out-exchange-key-0123456789";

    [Fact]
    public async Task A_call_identified_on_one_instance_appears_live_on_an_agent_page_served_by_the_other()
    {
        var postgres = Environment.GetEnvironmentVariable("IDCONTACT_TEST_POSTGRES")
            ?? throw new InvalidOperationException("IDCONTACT_TEST_POSTGRES is not set; run the tests with scripts/test.sh.");
        var redis = Environment.GetEnvironmentVariable("IDCONTACT_TEST_REDIS")
            ?? throw new InvalidOperationException("IDCONTACT_TEST_REDIS is not set; run the tests with scripts/test.sh.");
        var tenant = "scale" + Guid.NewGuid().ToString("N")[..8];
        var data = Directory.CreateTempSubdirectory("idcontact-scale-").FullName;
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
                    CommMethods = new[] { new { Tag = "phone", Name = "Bellen", ImagePath = "/x.svg", Start = "/{tenant}/phone" } },
                    Desk = new { PhoneNumber = "+31301234567", ExchangeApiKey = ExchangeKey },
                },
            },
        }));

        // Same configuration and data directory (keys) on both, as two hosts would share them.
        await using var first = await RunningServer.StartAsync("--config", config, "--data", data);
        await using var second = await RunningServer.StartAsync("--config", config, "--data", data);
        var options = first.App.Services.GetRequiredService<IOptions<IdContactOptions>>().Value;
        var (password, _) = await AdminBootstrap.CreateAdminAsync(options, tenant, "eva", "Eva", "201");

        // The agent works on the second instance.
        var agent = await (await browser.Chromium.NewContextAsync(new() { Locale = "nl-NL" })).NewPageAsync();
        await agent.GotoAsync($"{second.BaseUrl}/{tenant}/desk/login");
        await agent.GetByLabel("Gebruikersnaam").FillAsync("eva");
        await agent.GetByLabel("Wachtwoord").FillAsync(password!);
        await agent.GetByRole(AriaRole.Button, new() { Name = "Inloggen" }).ClickAsync();
        await agent.GetByLabel("Huidig wachtwoord").FillAsync(password!);
        await agent.GetByLabel("Nieuw wachtwoord").FillAsync("schaal-wachtwoord-2026");
        await agent.GetByRole(AriaRole.Button, new() { Name = "Opslaan" }).ClickAsync();
        await Assertions.Expect(agent.Locator("#contacts")).ToContainTextAsync("Geen binnenkomende contacten");

        // Session, result and identification all go to the first instance.
        var start = await first.Client.PostAsJsonAsync($"/{tenant}/phone/start_communication", new { purpose = "report_move" });
        var session = await start.Content.ReadFromJsonAsync<JsonElement>();
        var code = session.GetProperty("client_url").GetString()!.Split(",,")[1];
        using var identify = new HttpRequestMessage(HttpMethod.Post, $"/{tenant}/exchange/identify") { Content = JsonContent.Create(new { code, call_id = "scale-1" }) };
        identify.Headers.Authorization = new AuthenticationHeaderValue("Bearer", ExchangeKey);
        var matched = await (await first.Client.SendAsync(identify)).Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal("matched", matched.GetProperty("result").GetString());

        await Assertions.Expect(agent.Locator("article.contact")).ToHaveCountAsync(1);
        await Assertions.Expect(agent.Locator("article.contact")).ToContainTextAsync("Verhuizing doorgeven");
    }
}
