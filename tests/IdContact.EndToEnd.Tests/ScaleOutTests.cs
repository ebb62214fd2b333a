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
        await using var pair = await TwoInstancesAsync(TwoInstances.Redis);

        await IdentifyOnFirstAsync(pair, "scale-1");

        await Assertions.Expect(pair.Agent.Locator("article.contact")).ToHaveCountAsync(1);
        await Assertions.Expect(pair.Agent.Locator("article.contact")).ToContainTextAsync("Verhuizing doorgeven");
    }

    [Fact]
    public async Task With_redis_down_the_agent_page_still_shows_a_call_from_the_other_instance_by_its_periodic_refresh()
    {
        var redis = TwoInstances.Redis.Split(':');
        await using var relay = TcpRelay.Start(redis[0], int.Parse(redis[1], System.Globalization.CultureInfo.InvariantCulture));
        await using var pair = await TwoInstancesAsync($"127.0.0.1:{relay.Port}", "--Desk:AgentRefreshSeconds", "2");

        // With nothing happening, the page still fetches its list on its own: the safety net under the pushes. Twice, so
        // not just the fetch on connecting; awaited rather than counted in a fixed time, which a loaded machine stretches.
        var fetches = 0;
        var fetchedTwice = new TaskCompletionSource();
        pair.Agent.Request += (_, request) =>
        {
            if (request.Url.Contains("/desk/contacts", StringComparison.Ordinal) && Interlocked.Increment(ref fetches) >= 2)
            {
                fetchedTwice.TrySetResult();
            }
        };
        await fetchedTwice.Task.WaitAsync(TimeSpan.FromSeconds(30));

        relay.Stop(); // Redis is gone for both instances: no push crosses from the first to the second.
        await IdentifyOnFirstAsync(pair, "scale-2");

        await Assertions.Expect(pair.Agent.Locator("article.contact")).ToHaveCountAsync(1, new() { Timeout = 15_000 });
        await Assertions.Expect(pair.Agent.Locator("article.contact")).ToContainTextAsync("Verhuizing doorgeven");
    }

    /// <summary>Two instances with one configuration and data directory (keys), and an agent signed in on the second.</summary>
    private async Task<Pair> TwoInstancesAsync(string redis, params string[] args)
    {
        var instances = await TwoInstances.StartAsync(
            "scale",
            new { Tag = "phone", Name = "Bellen", ImagePath = "/x.svg", Start = "/{tenant}/phone" },
            new { PhoneNumber = "+31301234567", ExchangeApiKey = ExchangeKey },
            redis,
            args);
        try
        {
            var (first, second, tenant) = (instances.First, instances.Second, instances.Tenant);
            var options = first.App.Services.GetRequiredService<IOptions<IdContactOptions>>().Value;
            var (password, _) = await AdminBootstrap.CreateAdminAsync(options, tenant, "eva", "Eva", "201");

            // The agent works on the second instance.
            var context = await browser.Chromium.NewContextBoundedAsync(new() { Locale = "nl-NL" });
            var agent = await context.NewPageBoundedAsync();
            await agent.GotoAsync($"{second.BaseUrl}/{tenant}/desk/login");
            await agent.GetByLabel("Gebruikersnaam").FillAsync("eva");
            await agent.GetByLabel("Wachtwoord").FillAsync(password!);
            await agent.GetByRole(AriaRole.Button, new() { Name = "Inloggen" }).ClickAsync();
            await agent.GetByLabel("Huidig wachtwoord").FillAsync(password!);
            await agent.GetByLabel("Nieuw wachtwoord").FillAsync("schaal-wachtwoord-2026");
            await agent.GetByRole(AriaRole.Button, new() { Name = "Opslaan" }).ClickAsync();
            await Assertions.Expect(agent.Locator("#contacts")).ToContainTextAsync("Geen binnenkomende contacten");
            // Listening before a test sends anything: a push before that is lost, and the list shows the call only by
            // the fetch on connecting, which is not what "appears live" means.
            await agent.WaitForLiveAsync();
            return new Pair(instances, agent, context);
        }
        catch
        {
            await instances.DisposeAsync(); // nothing is returned to dispose: the databases go now
            throw;
        }
    }

    /// <summary>Session, result and identification all go to the first instance.</summary>
    private static async Task IdentifyOnFirstAsync(Pair pair, string callId)
    {
        var start = await pair.First.Client.PostAsJsonAsync($"/{pair.Tenant}/phone/start_communication", new { purpose = "report_move" });
        var session = await start.Content.ReadFromJsonAsync<JsonElement>();
        var code = session.GetProperty("client_url").GetString()!.Split(",,")[1];
        using var identify = new HttpRequestMessage(HttpMethod.Post, $"/{pair.Tenant}/exchange/identify") { Content = JsonContent.Create(new { code, call_id = callId }) };
        identify.Headers.Authorization = new AuthenticationHeaderValue("Bearer", ExchangeKey);
        var matched = await (await pair.First.Client.SendAsync(identify)).Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal("matched", matched.GetProperty("result").GetString());
    }

    private sealed record Pair(TwoInstances Instances, IPage Agent, IBrowserContext Context) : IAsyncDisposable
    {
        public RunningServer First => Instances.First;

        public string Tenant => Instances.Tenant;

        public async ValueTask DisposeAsync()
        {
            await Context.CloseBoundedAsync();
            await Instances.DisposeAsync();
        }
    }
}
