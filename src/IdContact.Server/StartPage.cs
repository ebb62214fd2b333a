using IdContact.Desk;
using IdContact.Desk.Admin;
using IdContact.Desk.Tenants;
using IdContact.Hosting;
using IdContact.Server.Pages;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.Extensions.Options;

namespace IdContact.Server;

/// <summary>
/// "/": in demo mode the demo start page (pick a municipality, a purpose and methods, and walk a flow); otherwise a
/// neutral page that names no municipality, since a resident starts from their own municipality's website.
/// </summary>
public static class StartPage
{
    public static void MapStartPage(this WebApplication app, IReadOnlyList<IRole> roles)
    {
        if (!roles.Contains("core"))
        {
            return;
        }

        app.MapGet("/", async Task<IResult> (HttpContext http, IOptions<IdContactOptions> options) =>
            {
                if (!options.Value.IsDemo)
                {
                    return new RazorComponentResult<NeutralStartPage>(new { English = http.PrefersEnglish() });
                }

                // Only to a browser on this machine: a demo reachable from elsewhere does not hand out its passwords.
                var seeded = roles.Contains("desk") && options.Value.Desk().SeedDemoAgents;
                var databases = seeded && IsLocal(http) ? http.RequestServices.GetRequiredService<TenantDatabases>() : null;
                return new RazorComponentResult<DemoStartPage>(new
                {
                    Tenants = (IReadOnlyDictionary<string, TenantOptions>)options.Value.Tenants,
                    English = http.PrefersEnglish(),
                    DeskLinks = roles.Contains("desk") && options.Value.Desk().ExchangeSimulator,
                    DemoAccountsFile = seeded ? DemoAgents.FilePath(options.Value) : null,
                    DemoPasswords = databases is null ? [] : await DemoAgents.CurrentPasswordsAsync(databases, options.Value, "demo", http.RequestAborted),
                    OfficerPasswords = databases is null ? [] : await DemoAgents.CurrentPasswordsAsync(databases, options.Value, DemoAgents.OfficerUserName, http.RequestAborted),
                    DemoSiteUrl = options.Value.DemoSiteUrl,
                });
            })
            .ExcludeFromDescription();
    }

    private static bool IsLocal(HttpContext http) => http.Connection.RemoteIpAddress is { } address && System.Net.IPAddress.IsLoopback(address);
}
