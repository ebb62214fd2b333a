using IdContact.Desk;
using IdContact.Desk.Admin;
using IdContact.Hosting;
using IdContact.Server.Pages;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.Extensions.Options;

namespace IdContact.Server;

/// <summary>The demo start page at "/": pick a municipality, a purpose and methods, and walk a flow.</summary>
public static class StartPage
{
    public static void MapStartPage(this WebApplication app, IReadOnlyList<IRole> roles)
    {
        if (!roles.Contains("core"))
        {
            return;
        }

        app.MapGet("/", (HttpContext http, IOptions<IdContactOptions> options) =>
                new RazorComponentResult<DemoStartPage>(new
                {
                    Tenants = (IReadOnlyDictionary<string, TenantOptions>)options.Value.Tenants,
                    English = http.PrefersEnglish(),
                    DeskLinks = roles.Contains("desk") && options.Value.Desk().ExchangeSimulator,
                    DemoAccountsFile = roles.Contains("desk") && options.Value.Desk().SeedDemoAgents ? DemoAgents.FilePath(options.Value) : null,
                    // Only to a browser on this machine: a demo reachable from elsewhere does not hand out its passwords.
                    DemoPasswords = roles.Contains("desk") && options.Value.Desk().SeedDemoAgents && IsLocal(http)
                        ? DemoAgents.ReadPasswords(options.Value)
                        : new Dictionary<string, string>(),
                    OfficerPasswords = roles.Contains("desk") && options.Value.Desk().SeedDemoAgents && IsLocal(http)
                        ? DemoAgents.ReadPasswords(options.Value, DemoAgents.OfficerUserName)
                        : new Dictionary<string, string>(),
                    DemoSiteUrl = options.Value.DemoSiteUrl,
                }))
            .ExcludeFromDescription();
    }

    private static bool IsLocal(HttpContext http) => http.Connection.RemoteIpAddress is { } address && System.Net.IPAddress.IsLoopback(address);
}
