using System.Net;
using System.Text.RegularExpressions;
using IdContact.Hosting;
using IdContact.Server;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;

namespace IdContact.Roles.Tests;

/// <summary>A role is one module: adding one to the server's list is all it takes to configure, check, start and map it.</summary>
public class RoleModuleTests
{
    [Fact]
    public async Task A_role_added_to_the_list_reads_its_settings_is_chosen_by_name_and_serves_its_endpoints()
    {
        var url = $"http://127.0.0.1:{RunningServer.FreePort()}";
        var app = IdContactServer.Build(
            ["--urls", url, "--data", Data(), "--roles", "core,echo", "--Echo:Greeting", "Goedemorgen"],
            knownRoles: [.. ServerRoles.Create(), new EchoRole()]);
        await app.StartAsync();
        try
        {
            using var client = new HttpClient { BaseAddress = new Uri(url) };
            Assert.Equal("Goedemorgen from echo", await client.GetStringAsync("/arnhem/echo"));
            Assert.Equal(HttpStatusCode.NotFound, (await client.GetAsync("/arnhem/desk/login")).StatusCode);
        }
        finally
        {
            await Bounded.StopAsync(app, "the server with the echo role");
        }
    }

    [Fact]
    public void A_role_checks_its_own_settings_and_the_server_knows_its_name()
    {
        var e = Assert.Throws<ConfigurationProblemsException>(() => IdContactServer.Build(
            ["--data", Data(), "--roles", "core,echo"], knownRoles: [.. ServerRoles.Create(), new EchoRole()]));
        Assert.Equal(["Echo:Greeting is empty."], e.Problems);

        var unknown = Assert.Throws<ConfigurationProblemsException>(() => IdContactServer.Build(["--data", Data(), "--roles", "core,echo"]));
        Assert.Contains("Roles: 'echo' is not a role; use all, core, auth-test, auth-irma, comm-test, desk.", unknown.Problems);
    }

    [Fact]
    public async Task The_demo_start_page_says_where_the_demo_passwords_are_and_shows_them_only_to_this_machine()
    {
        await using var server = await RunningServer.StartAsync("--TrustedProxies:0", "127.0.0.1");
        var file = Path.GetFullPath(Path.Combine(server.DataDirectory, "demo-agents.txt"));
        var password = Regex.Match(await File.ReadAllTextAsync(file), "arnhem: user 'demo', password '([^']+)'").Groups[1].Value;
        Assert.NotEmpty(password);

        var local = WebUtility.HtmlDecode(await server.Client.GetStringAsync("/"));
        Assert.Contains(file, local, StringComparison.Ordinal);
        Assert.Contains(password, local, StringComparison.Ordinal);

        // The same page for a browser elsewhere (through the trusted proxy): the path, never the password.
        using var request = new HttpRequestMessage(HttpMethod.Get, "/") { Headers = { { "X-Forwarded-For", "203.0.113.9" } } };
        var remote = WebUtility.HtmlDecode(await (await server.Client.SendAsync(request)).Content.ReadAsStringAsync());
        Assert.Contains(file, remote, StringComparison.Ordinal);
        Assert.DoesNotContain(password, remote, StringComparison.Ordinal);
    }

    private static string Data() => Directory.CreateTempSubdirectory("idcontact-role-").FullName;

    private sealed class EchoSettings
    {
        public string Greeting { get; set; } = "";
    }

    /// <summary>The smallest role there is: one setting, one check, one endpoint per tenant.</summary>
    private sealed class EchoRole : IRole
    {
        public string Name => "echo";

        public IReadOnlyDictionary<string, Type> Sections { get; } = new Dictionary<string, Type> { ["Echo"] = typeof(EchoSettings) };

        public void Bind(IConfiguration configuration, IdContactOptions options) =>
            configuration.GetSection("Echo").Bind(options.Settings<EchoSettings>());

        public void Validate(IdContactOptions options, List<string> problems)
        {
            if (string.IsNullOrEmpty(options.Settings<EchoSettings>().Greeting))
            {
                problems.Add("Echo:Greeting is empty.");
            }
        }

        public void AddServices(IServiceCollection services, IdContactOptions options)
        {
        }

        public void MapEndpoints(IEndpointRouteBuilder app, IdContactOptions options) =>
            app.MapTenantGroup("/echo").MapGet("", () => options.Settings<EchoSettings>().Greeting + " from echo");
    }
}
